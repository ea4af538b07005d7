# bash completion for rr, the Rose Rocket command line (installed to
# share/bash-completion/completions/rr). Written to match `rr --help`; update both together.

_rr() {
  local cur prev words cword
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev=""
  ((COMP_CWORD > 0)) && prev="${COMP_WORDS[COMP_CWORD - 1]}"

  local globals="--base-url --profile --client-id --client-secret --token-url --authorize-url
                 --verbose -v --version --help -h"
  local commands="get create update delete search export import auth emulator"

  # The command (and auth's subcommand) are the first words that are not options or their values.
  local command="" sub="" i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    case "$word" in
      --base-url | --profile | --client-id | --client-secret | --token-url | --authorize-url)
        [[ -z "$command" ]] && ((i++))
        continue
        ;;
      -*) continue ;;
    esac
    if [[ -z "$command" ]]; then
      command="$word"
    elif [[ "$command" == auth && -z "$sub" ]]; then
      sub="$word"
    fi
  done

  # Values of options.
  case "$prev" in
    --format)
      if [[ "$command" == export ]]; then
        COMPREPLY=($(compgen -W "jsonl csv" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "json jsonl csv table" -- "$cur"))
      fi
      return
      ;;
    --data)
      COMPREPLY=($(compgen -f -P @ -- "${cur#@}") -)
      return
      ;;
    --base-url | --profile | --client-id | --client-secret | --token-url | --authorize-url | \
      --paths | --object | --external-id | --set | --filter | --limit | --columns | --board | \
      --page-size | --by-external-id | --concurrency | --port | --timeout | --clear | \
      --null-token)
      return
      ;;
  esac

  local options=""
  case "$command" in
    "")
      COMPREPLY=($(compgen -W "$commands $globals" -- "$cur"))
      return
      ;;
    get) options="--paths --object --external-id" ;;
    create) options="--data" ;;
    update) options="--set --clear --object --json-values --allow-unknown-fields" ;;
    delete) options="" ;;
    search) options="--filter --all --limit --format --columns --paths --board" ;;
    export) options="--filter --format --columns --paths --board --page-size --null-token" ;;
    import)
      options="--by-external-id --concurrency --null-token --json-cells --allow-unknown-columns"
      if [[ "$cur" != -* ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
        return
      fi
      ;;
    auth)
      if [[ -z "$sub" ]]; then
        COMPREPLY=($(compgen -W "login token logout" -- "$cur"))
        return
      fi
      [[ "$sub" == login ]] && options="--no-browser --port --timeout"
      ;;
    emulator)
      options="--host --port --client-id --client-secret --client-public-key --token-ttl --data --latency-ms
               --rate-limit --help"
      ;;
  esac
  COMPREPLY=($(compgen -W "$options --help" -- "$cur"))
}

complete -F _rr rr
