# bash completion for rr, the Rose Rocket command line (installed to
# share/bash-completion/completions/rr). Written to match `rr --help`; update both together.
# The object keys are the field catalog's (cli_tests checks that the list below matches it).

_rr_object_keys="customer order task address commodity manifest webhookDestination
  webhookSubscription partner quote financialLineItem invoice tag asset bill contact stop user
  document taxRate taxRateComponent taxRule payStub glAccount"

# Profile names: the <profile>.json and <profile>.profile.json files of rr's config directory.
_rr_profiles() {
  local dir="${XDG_CONFIG_HOME:-$HOME/.config}/roserocket" file name names=""
  [[ -d "$dir" ]] || return
  for file in "$dir"/*.json; do
    [[ -e "$file" ]] || continue
    name="${file##*/}"
    name="${name%.json}"
    name="${name%.profile}"
    [[ " $names " == *" $name "* ]] || names="$names $name"
  done
  echo "$names"
}

_rr() {
  local cur prev words cword
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev=""
  ((COMP_CWORD > 0)) && prev="${COMP_WORDS[COMP_CWORD - 1]}"

  local globals="--base-url --profile --client-id --client-secret --token-url --authorize-url
                 --timeout --verbose -v --version --help -h"
  local commands="get create update delete search export import auth boards events user-groups
                  webhooks emulator sync listen"

  # The command, the subcommand of a group (auth, boards, ...) and the count of positional words
  # after them are read from the words that are not options or their values.
  local command="" sub="" positionals=0 i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    case "$word" in
      --base-url | --profile | --client-id | --client-secret | --token-url | --authorize-url | \
        --timeout | --paths | --object | --external-id | --set | --filter | --limit | --columns | \
        --board | --page-size | --by-external-id | --concurrency | --port | --clear | \
        --null-token | --format | --data | --type | --description | --event | --checkpoint | \
        --overlap | --forward-to | --objects | --secret | --attempts | --backoff | --poll-interval)
        ((i++))
        continue
        ;;
      -*) continue ;;
    esac
    if [[ -z "$command" ]]; then
      command="$word"
    elif [[ "$command" =~ ^(auth|boards|events|user-groups|webhooks)$ && -z "$sub" ]]; then
      sub="$word"
    else
      ((positionals++))
    fi
  done

  # Values of options.
  case "$prev" in
    --format)
      if [[ "$command" == export ]]; then
        COMPREPLY=($(compgen -W "jsonl csv" -- "$cur"))
      elif [[ "$command" == sync ]]; then
        COMPREPLY=($(compgen -W "jsonl json" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "json jsonl csv table" -- "$cur"))
      fi
      return
      ;;
    --checkpoint)
      COMPREPLY=($(compgen -f -- "$cur"))
      return
      ;;
    --data)
      COMPREPLY=($(compgen -f -P @ -- "${cur#@}") -)
      return
      ;;
    --object | --objects)
      COMPREPLY=($(compgen -W "$_rr_object_keys" -- "$cur"))
      return
      ;;
    --profile)
      COMPREPLY=($(compgen -W "$(_rr_profiles)" -- "$cur"))
      return
      ;;
    --type)
      COMPREPLY=($(compgen -W "create mutate internal widget-open widget-close" -- "$cur"))
      return
      ;;
    --base-url | --client-id | --client-secret | --token-url | --authorize-url | \
      --paths | --external-id | --set | --filter | --limit | --columns | --board | \
      --page-size | --by-external-id | --concurrency | --port | --timeout | --clear | \
      --null-token | --description | --event | --overlap | --forward-to | --secret | --attempts | \
      --backoff | --poll-interval)
      return
      ;;
  esac

  # The object key: the first word after search, export, create and import.
  if [[ "$command" =~ ^(search|export|create|import|sync)$ && $positionals -eq 0 && "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W "$_rr_object_keys" -- "$cur"))
    return
  fi

  local options=""
  case "$command" in
    "")
      COMPREPLY=($(compgen -W "$commands $globals" -- "$cur"))
      return
      ;;
    get) options="--paths --object --external-id" ;;
    create) options="--data" ;;
    update) options="--set --clear --object --json-values --allow-unknown-fields" ;;
    delete) options="--object --external-id" ;;
    search) options="--filter --all --limit --format --columns --paths --board" ;;
    export) options="--filter --format --columns --paths --board --page-size --null-token" ;;
    sync) options="--checkpoint --follow --format --overlap --page-size --board --paths" ;;
    listen)
      options="--forward-to --objects --checkpoint --once --secret --attempts --backoff
               --poll-interval --overlap --page-size"
      ;;
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
    boards | events | user-groups | webhooks)
      if [[ -z "$sub" ]]; then
        local subs
        case "$command" in
          boards) subs="list" ;;
          events) subs="list create" ;;
          user-groups) subs="list create members add-members remove-members" ;;
          webhooks) subs="list subscribe delete" ;;
        esac
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
        return
      fi
      case "$command $sub" in
        "boards list") options="--object" ;;
        "events list") options="--object --board --type" ;;
        "events create") options="--board --type --data" ;;
        "user-groups create") options="--description" ;;
        "webhooks subscribe") options="--event" ;;
      esac
      ;;
    emulator)
      options="--host --port --client-id --client-secret --client-public-key --token-ttl --data --latency-ms
               --rate-limit --search-lag-ms --timestamp-resolution-ms --help"
      ;;
  esac
  COMPREPLY=($(compgen -W "$options --help" -- "$cur"))
}

complete -F _rr rr
