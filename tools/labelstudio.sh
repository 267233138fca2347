#!/usr/bin/env bash
# Provision a local Label Studio server for the test suite.
#
#   tools/labelstudio.sh install    create .venv-ls/ and install label-studio (pinned) into it
#   tools/labelstudio.sh template   create .ls-template/, an initialised data dir with the test user
#   tools/labelstudio.sh install template   both, in order
#
# Both steps are idempotent. Label Studio pins many packages, so it lives in its own venv,
# never in the project venv. Credentials come from tools/labelstudio-test.env (test-only).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_FILE="$REPO_ROOT/tools/labelstudio-test.env"
VENV="$REPO_ROOT/.venv-ls"
TEMPLATE="$REPO_ROOT/.ls-template"
PYTHON="${PYTHON:-python3}"

die() { echo "labelstudio.sh: ERROR: $*" >&2; exit 1; }
log() { echo "labelstudio.sh: $*"; }
trap 'echo "labelstudio.sh: ERROR: command failed (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

[[ -f "$ENV_FILE" ]] || die "missing $ENV_FILE"
# shellcheck disable=SC1090
set -a; source "$ENV_FILE"; set +a
for v in LS_VERSION LS_USERNAME LS_PASSWORD LS_TOKEN; do
    [[ -n "${!v:-}" ]] || die "$v is not set in $ENV_FILE"
done

# No version check, analytics or Sentry reports: the machines have no internet.
export LABEL_STUDIO_LATEST_VERSION_CHECK=false
export LABEL_STUDIO_COLLECT_ANALYTICS=false
export LABEL_STUDIO_SENTRY_DSN=
export LABEL_STUDIO_FRONTEND_SENTRY_DSN=
export PIP_DISABLE_PIP_VERSION_CHECK=1

quiet_pip() { grep -v "^WARNING: Location '.*' is ignored" || true; }

installed_version() {
    [[ -x "$VENV/bin/python" ]] || return 0
    "$VENV/bin/python" - <<'PY' 2>/dev/null || true
from importlib.metadata import version, PackageNotFoundError
try:
    print(version("label-studio"))
except PackageNotFoundError:
    pass
PY
}

cmd_install() {
    local t0=$SECONDS have
    have="$(installed_version)"
    if [[ "$have" == "$LS_VERSION" && -x "$VENV/bin/label-studio" ]]; then
        log "install: label-studio $LS_VERSION already in $VENV, skipping"
        return 0
    fi
    if [[ -e "$VENV" ]]; then
        # Wrong version or a half-finished install: start over rather than upgrade in place.
        log "install: removing $VENV (found label-studio '${have:-none}', want $LS_VERSION)"
        rm -rf "$VENV"
    fi
    log "install: creating venv $VENV with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
    log "install: installing label-studio==$LS_VERSION into $VENV (takes a few minutes)"
    # (Drop pip's "Location ... is ignored" noise about this machine's absent local indexes;
    # pipefail keeps pip's exit status.)
    "$VENV/bin/python" -m pip install --quiet "label-studio==$LS_VERSION" 2>&1 | quiet_pip
    have="$(installed_version)"
    [[ "$have" == "$LS_VERSION" ]] || die "install: expected label-studio $LS_VERSION, found '${have}'"
    [[ -x "$VENV/bin/label-studio" ]] || die "install: $VENV/bin/label-studio missing after install"
    log "install: done in $((SECONDS - t0)) s"
}

cmd_template() {
    local t0=$SECONDS
    [[ -x "$VENV/bin/label-studio" ]] || die "template: $VENV/bin/label-studio missing; run: tools/labelstudio.sh install"
    local marker="$TEMPLATE/.newscorpus-template-ok" want="label-studio $LS_VERSION"
    if [[ -f "$marker" && "$(cat "$marker")" == "$want" ]]; then
        log "template: $TEMPLATE already initialised ($want), skipping"
        return 0
    fi
    if [[ -e "$TEMPLATE" ]]; then
        log "template: removing incomplete or outdated $TEMPLATE"
        rm -rf "$TEMPLATE"
    fi
    local tmp="$TEMPLATE.tmp.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    log "template: running label-studio init in $tmp (migrations: ~1 min)"
    local logf="$REPO_ROOT/.ls-template-init.log"
    # LABEL_STUDIO_BASE_DATA_DIR keeps label-studio from creating ~/.local/share/label-studio.
    if ! (cd "$tmp" && LABEL_STUDIO_BASE_DATA_DIR="$tmp" "$VENV/bin/label-studio" init \
            --data-dir "$tmp" \
            --username "$LS_USERNAME" \
            --password "$LS_PASSWORD" \
            --user-token "$LS_TOKEN" \
            --enable-legacy-api-token \
            --no-browser --quiet) >"$logf" 2>&1; then
        tail -n 40 "$logf" >&2
        rm -rf "$tmp"
        die "template: label-studio init failed (full log: $logf)"
    fi
    [[ -f "$tmp/label_studio.sqlite3" ]] || { tail -n 40 "$logf" >&2; rm -rf "$tmp"; die "template: no label_studio.sqlite3 after init (log: $logf)"; }
    echo "$want" >"$tmp/.newscorpus-template-ok"
    mv "$tmp" "$TEMPLATE"
    rm -f "$logf"
    log "template: done in $((SECONDS - t0)) s"
}

[[ $# -ge 1 ]] || die "usage: $0 install|template [install|template ...]"
for step in "$@"; do
    case "$step" in
        install) cmd_install ;;
        template) cmd_template ;;
        *) die "unknown step '$step' (expected: install, template)" ;;
    esac
done
