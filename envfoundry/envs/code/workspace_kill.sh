# Stop every process in the sandbox but its init, its main process and this script's own
# ancestry: whatever the policy left running (a loop rewriting files, a forged JUnit
# writer) must not outlive its episode into grading. Refuses to run outside a container
# started with docker-init as PID 1, so it can never reach processes of a host.
# Usage: sh -c "$(cat workspace_kill.sh)" kill KEEP_PID...
set -u
case "$(tr '\0' ' ' < /proc/1/cmdline)" in
    */docker-init*) ;;
    *) echo "PID 1 is not docker-init: not inside a sandbox container" >&2; exit 3 ;;
esac
keep=" 1 $* "
p=$$
while [ "$p" != 0 ]; do
    keep="$keep$p "
    ppid=0
    while read -r key value _; do
        if [ "$key" = "PPid:" ]; then ppid=$value; break; fi
    done < "/proc/$p/status"
    p=$ppid
done
# Stop first, then kill: a process that forks in a loop cannot outrun a frozen parent.
for signal in STOP KILL KILL KILL; do
    for d in /proc/[0-9]*; do
        pid=${d#/proc/}
        case "$keep" in *" $pid "*) continue ;; esac
        kill -s "$signal" "$pid" 2>/dev/null
    done
done
exit 0
