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
echo "completion ok"
