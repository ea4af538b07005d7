#!/usr/bin/env bash
# The bash completion of rr loads, completes subcommands and their options.
set -euo pipefail
source "$1"
complete -p rr | grep -q _rr || { echo "rr has no completion"; exit 1; }

complete_words() {  # the completions for the words given (the last one being typed)
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _rr
  echo "${COMPREPLY[*]}"
}

expect() {  # expect "<got>" "<word that must be in it>"
  case " $1 " in *" $2 "*) ;; *) echo "expected '$2' in: $1"; exit 1 ;; esac
}

expect "$(complete_words rr se)" search
expect "$(complete_words rr im)" import
expect "$(complete_words rr auth l)" login
expect "$(complete_words rr auth l)" logout
expect "$(complete_words rr search customer --for)" --format
expect "$(complete_words rr search customer --format '')" table
expect "$(complete_words rr --ver)" --version
expect "$(complete_words rr import customer x.csv --by)" --by-external-id
expect "$(complete_words rr import customer x.csv --null)" --null-token
expect "$(complete_words rr update x --cl)" --clear
expect "$(complete_words rr --ti)" --timeout
expect "$(complete_words rr us)" user-groups
expect "$(complete_words rr webhooks s)" subscribe
expect "$(complete_words rr events list x --ty)" --type
expect "$(complete_words rr delete --ext)" --external-id
expect "$(complete_words rr sy)" sync
expect "$(complete_words rr sync order --check)" --checkpoint
expect "$(complete_words rr li)" listen
expect "$(complete_words rr listen --forward-to http://localhost:8080/hooks --on)" --once
expect "$(complete_words rr listen --objects ta)" task

# Object keys: the first word of search, export, create and import, and --object's value.
expect "$(complete_words rr search cust)" customer
expect "$(complete_words rr export --format csv ord)" order
expect "$(complete_words rr create webhook)" webhookDestination
expect "$(complete_words rr import ta)" task
expect "$(complete_words rr get --object inv)" invoice
expect "$(complete_words rr delete --object tax)" taxRateComponent
refuse() {  # refuse "<got>" "<word that must not be in it>"
  case " $1 " in *" $2 "*) echo "did not expect '$2' in: $1"; exit 1 ;; esac
}
refuse "$(complete_words rr import customer cu)" customer  # the file comes second

# Profile names from the config directory.
XDG_CONFIG_HOME="$(mktemp -d)"
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
mkdir -p "$XDG_CONFIG_HOME/roserocket"
touch "$XDG_CONFIG_HOME/roserocket/acme.json" "$XDG_CONFIG_HOME/roserocket/acme.profile.json" \
  "$XDG_CONFIG_HOME/roserocket/staging.profile.json"
export XDG_CONFIG_HOME
got="$(complete_words rr --profile '')"
expect "$got" acme
expect "$got" staging
[[ "$got" != *profile* ]] || { echo "file suffixes in: $got"; exit 1; }
expect "$(complete_words rr --profile st)" staging
echo "completion ok"
