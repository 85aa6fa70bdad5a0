"""Named sample texts written for the tests (no third-party text)."""

EMPTY = ""
WHITESPACE = "  \n\t \n"
ONE_SENTENCE = "The city council approved the new budget on Tuesday."

HUMAN_NEWS = (
    "The city council approved a $4.2 million budget for road repairs on Tuesday, "
    "ending a month of debate over how to pay for the work.\n"
    "\"We finally have a plan that fixes the worst streets first,\" said council member Ana Ruiz, "
    "who led the committee that drafted it.\n"
    "The budget draws on a state grant and a small increase in parking fees. "
    "Opponents said the fee increase would hurt shops downtown.\n"
    "Work on Main Street is expected to start in April and finish by the end of the summer, "
    "according to the city's public works department."
)

# A hand-made spun version of HUMAN_NEWS with the artifacts article spinners leave.
SPUN_NEWS = (
    "The town chamber sanctioned a $4.2 million spending plan for highway mending on Tuesday, "
    "finishing a month of deliberation over how to remunerate for the labor.\n"
    "We lastly possess a scheme that repairs the poorest avenues first "
    "\"Council member Ana Ruiz tacked on to the conversation.\n"
    "the spending plan attracts on a state endowment and a petite ascent in parking levies. "
    "Adversaries said the levy ascent would injure boutiques downtown downtown.\n"
    "Related: Mayor Ana Ruiz will visit the harbor on Friday.\n"
    "Labor on Main Avenue is anticipated to commence in April, according to the town's public works division."
)

UNICODE = "Der Stadtrat hat am Dienstag den Haushalt beschlossen. 市议会周二批准了预算。 🎉 «Très bien», a-t-il dit."
ABBREVIATIONS = 'The U.S. Army said at 10 a.m. ET that Mr. Smith would go. "I will not resign. Never," he said. Dr. Jones agreed.'
CURLY = "“It’s done,” she said — and left."


def human_spun_and_llm_documents(rng, n: int = 30) -> list:
    """``n`` copies of HUMAN_NEWS, sentences shuffled by ``rng`` (a numpy RandomState), as human documents, each
    beside a rewrite: every second one spun by the real spinner (rate 0.4), the others SPUN_NEWS as an
    "llm-paraphrase" family; one group per pair."""
    from spindetect import docset
    from spindetect.augment.spin import spin

    sents = HUMAN_NEWS.split(". ")
    docs = []
    for k in range(n):
        rng.shuffle(sents)
        human = ". ".join(sents)
        docs.append(docset.Doc(human, 0, "d", "human", "news", docset.group_key(str(k))))
        kind = ("spinner", "llm-paraphrase")[k % 2]
        text = spin(human, rate=0.4, seed=k).text if kind == "spinner" else SPUN_NEWS
        docs.append(docset.Doc(text, 1, "d", kind, "news", docset.group_key(str(k))))
    return docs
