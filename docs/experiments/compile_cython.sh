#!/usr/bin/env bash
# Experiment (session 13, branch cyX13): compile the hot pure-Python modules with Cython,
# unchanged, as extensions beside their .py files; or remove them again. NOT a build step.
#
#   docs/experiments/compile_cython.sh build   # needs: .venv/bin/pip install cython; gcc
#   docs/experiments/compile_cython.sh clean   # remove the .so and .c files
#
# Two things are needed for the modules to run unchanged (docs/experiments/compiled.md):
# - annotation_typing=False: with it on, Cython enforces `-> dict` / `x: dict` annotations
#   exactly (features.jieba_tags returns a segmenter.Tags, features' `shared` is a dict
#   subclass _Shared) and the pipeline raises TypeError;
# - the module names must be baozhi.*, not pipeline.* (the folder's name): cythonize names a
#   module after its folders, and a class of a module named pipeline.* cannot be pickled
#   (diskcache, workers). So the sources are named through a temporary `baozhi` symlink.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODULES=(layers/figures/semantics.py layers/figures/figures.py resources/numerals.py
         layers/dates/grammar.py layers/entities/entities.py layers/entities/ner_rules.py
         layers/entities/features.py layers/entities/names.py layers/entities/organisations.py)
case "${1:-build}" in
  build)
    [ -e baozhi ] && { echo "baozhi exists: remove it first" >&2; exit 1; }
    ln -s pipeline baozhi
    trap 'rm -f baozhi' EXIT
    time .venv/bin/cythonize -i -3 -j 2 -X annotation_typing=False "${MODULES[@]/#/baozhi/}"
    ;;
  clean)
    for m in "${MODULES[@]}"; do rm -f "pipeline/${m%.py}".c "pipeline/${m%.py}".cpython-*.so; done
    ;;
  *) echo "usage: $0 build|clean" >&2; exit 2 ;;
esac
