"""The article spinner: determinism, exact span labels, rate control and the `spin` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from spindetect.augment import thesaurus
from spindetect.commands import spin as spin_cmd
from spindetect.segment import segment
from spindetect.augment.proposals import Edit, SpinResult, apply_edits
from spindetect.augment.spin import MODES, OPS, changed_token_rate, label_sentences, spin

from .edits import check_edits

# Written for these tests (no third-party text): attributions in every shape
# the spinner restructures, quotes, numbers, dates and titles.
ARTICLE = (
    "City officials said on Monday that the new bridge across the Harlow River would open to traffic in March.\n"
    "\"We expect the first cars to cross before the spring floods,\" the mayor said.\n"
    "The project cost 175,000 dollars more than planned, according to a report by the city auditor.\n"
    "Mayor Dana Whitfield said, \"This bridge will connect two neighbourhoods that have been cut off for years.\"\n"
    "According to engineers, the steel frame was assembled in 14 days.\n"
    "The council will vote on the final budget Tuesday, a spokesman added.\n"
    "Prime Minister Ola Brandt visited the site on Friday and praised the workers, who built the span ahead of schedule. "
    "Local shops reported a huge increase in customers during the construction, and several owners hope the trade will last. "
    "Critics argued that the money should have paid for repairs to older roads, which flood every winter."
)
NUMBERS = "Officials expect 175,000 visitors Tuesday, and prices rose 5 percent after President Lina Ortega spoke."


def _check_edits(original: str, result) -> None:
    check_edits(original, result, OPS)


# --- library --------------------------------------------------------------


def test_same_seed_same_result_and_seeds_differ():
    a = spin(ARTICLE, rate=0.3, seed=7)
    assert a == spin(ARTICLE, rate=0.3, seed=7)
    texts = {spin(ARTICLE, rate=0.3, seed=s).text for s in range(4)}
    assert len(texts) == 4
    assert ARTICLE not in texts


def test_same_result_in_another_process_with_another_hash_seed():
    # set/dict iteration order depends on PYTHONHASHSEED; the output must not
    code = "import sys; from spindetect.augment.spin import spin; sys.stdout.write(repr(spin(sys.stdin.read(), 0.5, 3)))"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code], input=ARTICLE, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": h},
        ).stdout
        for h in ("1", "2")
    }
    assert outs == {repr(spin(ARTICLE, 0.5, 3))}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_edits_are_exact_and_rebuild_the_spun_text(mode, seed):
    result = spin(ARTICLE, rate=0.5, seed=seed, mode=mode)
    assert result.edits, f"mode {mode} made no change at rate 0.5"
    _check_edits(ARTICLE, result)


@pytest.mark.parametrize(
    "mode, allowed",
    [("synonym", {"synonym"}), ("phrase", {"phrase"}), ("restructure", {"restructure", "quote"}), ("mixed", set(OPS))],
)
def test_each_mode_uses_its_own_operations(mode, allowed):
    ops = {e.op for s in range(3) for e in spin(ARTICLE, rate=0.6, seed=s, mode=mode).edits}
    assert ops and ops <= allowed
    if mode == "mixed":
        assert {"synonym", "restructure"} <= ops


def test_changed_token_rate_grows_with_rate():
    rates = [0.0, 0.1, 0.3, 0.6, 0.9]
    measured = [sum(changed_token_rate(ARTICLE, spin(ARTICLE, rate=r, seed=s).text) for s in range(3)) / 3 for r in rates]
    assert measured[0] == 0.0
    assert all(b > a for a, b in zip(measured, measured[1:])), measured
    assert measured[-1] > measured[1] + 0.15


def test_changed_token_rate_bounds():
    assert changed_token_rate("", "") == 0.0
    assert changed_token_rate("The bridge opened.", "The bridge opened.") == 0.0
    assert changed_token_rate("The bridge opened.", "A river froze!") == 1.0
    assert changed_token_rate("", "Something new.") == 1.0
    # one word of four replaced -> 1/4
    assert changed_token_rate("the bridge opened today", "the span opened today") == pytest.approx(0.25)
    # moved clauses count as changed: word order matters
    assert changed_token_rate("officials said the bridge opened", "the bridge opened officials said") > 0


def test_numbers_dates_and_titles():
    found = {(e.op, e.before, e.after) for s in range(6) for e in spin(NUMBERS, rate=1.0, seed=s).edits}
    assert ("number", "Tuesday", "on Tuesday") in found
    assert {a for op, b, a in found if b == "175,000"} <= {"175 thousand", "175k"}
    assert any(b == "175,000" for _, b, _ in found)
    assert any(b == "5 percent" and a in ("5%", "5 per cent") for _, b, a in found)
    assert ("title", "President", "Vice President") in found


def test_quote_moves_onto_the_attribution():
    text = "\"We will finish the bridge by spring,\" the mayor said."
    afters = {e.after for s in range(20) for e in spin(text, rate=0.5, seed=s, mode="restructure").edits}
    # the closing quote now opens the attribution: '... by spring "The mayor said.'
    assert ' "The' in afters
    # or the sentence is turned round: 'The mayor said, "We will ...spring."'
    assert 'The mayor said, "We will finish the bridge by spring."' in afters


def test_attribution_restructured():
    text = "City officials said on Monday that the new bridge would open to traffic in March."
    outs = {spin(text, rate=1.0, seed=s, mode="restructure").text for s in range(8)}
    assert outs == {
        "The new bridge would open to traffic in March, city officials said on Monday.",
        "According to city officials, the new bridge would open to traffic in March.",
    }


def test_restructured_clause_starting_with_a_quote_is_capitalised():
    text = "According to the engineers, \u201csteel frames\u201d were assembled in 14 days."
    assert spin(text, rate=1.0, mode="restructure").text == (
        "\u201cSteel frames\u201d were assembled in 14 days, according to the engineers."
    )


def test_mixed_mode_swaps_words_inside_a_restructured_sentence():
    text = "City officials said on Monday that the new bridge would open to traffic in March."
    plain = {spin(text, rate=1.0, seed=s, mode="restructure").text for s in range(4)}
    for s in range(4):
        (edit,) = spin(text, rate=1.0, seed=s, mode="mixed").edits
        assert edit.op == "restructure" and edit.before == text
        assert edit.after not in plain


def test_names_and_titles_are_not_thesaurus_swapped():
    text = "Dana Whitfield met Ola Brandt in Harlow. Mayor Dana Whitfield spoke first."
    for s in range(5):
        for e in spin(text, rate=1.0, seed=s, mode="synonym").edits:
            assert e.before not in {"Dana", "Whitfield", "Ola", "Brandt", "Harlow", "Mayor"}


def test_synonyms_are_reinflected():
    # past-tense verbs stay past tense: 'added' -> 'tacked on', never 'tack on'
    subs = thesaurus.substitutes("add", "VERB", "VBD")
    assert "tacked on" in subs and "tack on" not in subs
    assert "colossal" in thesaurus.substitutes("huge", "ADJ", "JJ")
    assert "Brobdingnagian" not in thesaurus.substitutes("huge", "ADJ", "JJ")  # too rare to read
    text = "The mayor added that the council approved the plan."
    for s in range(10):
        for e in spin(text, rate=1.0, seed=s, mode="synonym").edits:
            if e.before in ("added", "approved"):
                assert e.after.endswith(("ed", "d")) or e.after.split()[0] in thesaurus.inflections(
                    e.after.split()[0], "VERB"
                ).get("VBD", ()), e


def test_spun_text_stays_segmentable_and_labels_cover_edits():
    result = spin(ARTICLE, rate=0.3, seed=3, mode="synonym")
    n_orig = len(segment(ARTICLE))
    labelled = label_sentences(result)
    assert abs(len(labelled) - n_orig) <= 1
    touched = {e for _, edits in labelled for e in edits}
    assert touched == set(result.edits)
    originals = {s.text for s in segment(ARTICLE)}
    for sentence, edits in labelled:
        if not edits:
            assert sentence.text in originals


def test_empty_and_zero_rate_and_bad_arguments():
    assert spin("", seed=1) == SpinResult("", ())
    assert spin("  \n ", seed=1).edits == ()
    assert spin(ARTICLE, rate=0.0).text == ARTICLE
    with pytest.raises(ValueError, match="expected one of: synonym, phrase, restructure, mixed"):
        spin(ARTICLE, mode="words")
    with pytest.raises(ValueError, match="between 0 and 1"):
        spin(ARTICLE, rate=1.5)
    with pytest.raises(ValueError, match="does not match"):
        apply_edits("abc", [Edit("synonym", 0, 1, 0, 1, "x", "y")])


# --- command line -----------------------------------------------------------


@pytest.fixture
def app():
    """The real CLI app if `spin` is registered there, else the command on its own app."""
    from spindetect import cli

    if any(c.name == "spin" for c in cli.app.registered_commands):
        return cli.app
    local = typer.Typer(add_completion=False)
    local.command("spin")(spin_cmd.spin)

    @local.callback()
    def _main() -> None:  # a callback keeps 'spin' as a sub-command name
        pass

    return local


@pytest.fixture
def article_file(tmp_path):
    p = tmp_path / "bridge.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


def test_cli_file_to_stdout_is_deterministic(app, article_file):
    runner = CliRunner()
    a = runner.invoke(app, ["spin", str(article_file), "--seed", "4"])
    b = runner.invoke(app, ["spin", str(article_file), "--seed", "4"])
    c = runner.invoke(app, ["spin", str(article_file), "--seed", "5"])
    assert a.exit_code == 0, a.stderr
    assert a.stdout == b.stdout != c.stdout
    assert a.stdout.rstrip("\n") == spin(ARTICLE, seed=4).text


def test_cli_stdin_with_labels(app):
    result = CliRunner().invoke(app, ["spin", "-", "--labels", "--rate", "0.5", "--mode", "synonym"], input=ARTICLE)
    assert result.exit_code == 0, result.stderr
    (line,) = result.stdout.splitlines()
    rec = json.loads(line)
    assert rec["path"] == "-" and rec["mode"] == "synonym"
    edits = [Edit(**e) for e in rec["edits"]]
    assert edits and all(e.op == "synonym" for e in edits)
    _check_edits(ARTICLE, SpinResult(rec["text"], tuple(edits)))


def test_cli_out_dir_never_overwrites_without_force(app, article_file, tmp_path):
    runner = CliRunner()
    out = tmp_path / "spun"
    first = runner.invoke(app, ["spin", str(article_file), "--out", str(out), "--labels"])
    assert first.exit_code == 0, first.stderr
    spun = (out / "bridge.txt").read_text(encoding="utf-8")
    assert spun == spin(ARTICLE).text
    (rec,) = [json.loads(x) for x in (out / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rec["text"] == spun and rec["path"] == str(article_file)

    again = runner.invoke(app, ["spin", str(article_file), "--out", str(out), "--labels"])
    assert again.exit_code == 2
    assert "labels.jsonl: already exists; use --force" in again.stderr
    again = runner.invoke(app, ["spin", str(article_file), "--out", str(out)])
    assert again.exit_code == 1
    assert "bridge.txt: already exists; use --force" in again.stderr
    forced = runner.invoke(app, ["spin", str(article_file), "--out", str(out), "--labels", "--seed", "9", "--force"])
    assert forced.exit_code == 0, forced.stderr
    assert (out / "bridge.txt").read_text(encoding="utf-8") == spin(ARTICLE, seed=9).text


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["missing.txt"], 1, "missing.txt: no such file or directory"),
        (["EMPTY"], 1, "empty file"),
        (["ARTICLE", "--mode", "words"], 2, "unknown mode 'words'; expected one of: synonym, phrase, restructure, mixed"),
        (["ARTICLE", "--rate", "1.5"], 2, "--rate must be between 0 and 1, got 1.5"),
        (["-", "-"], 2, "'-' (stdin) may be given only once"),
    ],
)
def test_cli_bad_input_is_one_line_error(app, article_file, tmp_path, args, code, message):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    args = [{"ARTICLE": str(article_file), "EMPTY": str(empty)}.get(a, a) for a in args]
    result = CliRunner().invoke(app, ["spin", *args], input="")
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert all(line.startswith("spindetect: error: ") for line in result.stderr.splitlines())


def test_cli_bad_input_does_not_stop_the_batch(app, article_file):
    result = CliRunner().invoke(app, ["spin", "missing.txt", str(article_file)])
    assert result.exit_code == 1
    assert result.stdout.rstrip("\n") == spin(ARTICLE).text
