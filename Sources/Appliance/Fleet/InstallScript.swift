/// The worker's install script and the Run Command stub that fetches it.
///
/// The appliance uploads ``text`` next to the `nimbus-worker` binary in the region's storage account; Run Command
/// runs ``runCommandStub``, which downloads the script over its SAS URL, checks its MD5 and runs it. The script is
/// the same on Azure and on LocalCloud:
///
/// - It downloads the binary over its SAS URL with `curl` (through the private endpoint: the URL names the
///   endpoint the worker network resolves privately), checks its MD5 with `md5sum`, and exits non-zero with a
///   message naming the file and both digests on a mismatch, installing nothing.
/// - It installs to `/opt/nimbus` under `${LOCALCLOUD_VM_ROOT:-}` (empty on a real VM; the VM's folder on
///   LocalCloud), and writes the worker configuration (`etc/worker.json`, mode 0600) from the base64 text of the
///   `NIMBUS_WORKER_CONFIG` parameter.
/// - On a real Ubuntu VM (systemd running, `/run/systemd/system`, and no LocalCloud root) it installs and
///   (re)starts the unit `nimbus-worker.service`; otherwise it starts the daemon in the background with `nohup`,
///   logging to `var/log/nimbus-worker.log`, and records its PID in `opt/nimbus/run/nimbus-worker.pid`.
/// - It stops a daemon an earlier bootstrap started, then waits (60 s at most) until the new one is up.
///
/// Parameters (Run Command's named parameters, which reach the script as environment variables):
/// `NIMBUS_WORKER_URL`, `NIMBUS_WORKER_MD5` (lowercase hex), `NIMBUS_WORKER_CONFIG` (base64 of the JSON); the stub
/// also reads `NIMBUS_INSTALL_URL` and `NIMBUS_INSTALL_MD5`.
public enum InstallScript {
    /// The blob name of the install script.
    public static let blobName = "install-worker.sh"

    /// The install script.
    public static let text = #"""
        #!/bin/bash
        # Installs and starts the Nimbus worker daemon on an Ubuntu VM (or a LocalCloud VM folder).
        set -euo pipefail

        fail() {
            echo "nimbus-install: $*" >&2
            exit 1
        }

        : "${NIMBUS_WORKER_URL:?NIMBUS_WORKER_URL (the SAS URL of nimbus-worker) is required}"
        : "${NIMBUS_WORKER_MD5:?NIMBUS_WORKER_MD5 (the expected MD5 of nimbus-worker, hex) is required}"
        : "${NIMBUS_WORKER_CONFIG:?NIMBUS_WORKER_CONFIG (the base64 worker configuration) is required}"

        root="${LOCALCLOUD_VM_ROOT:-}"
        prefix="$root/opt/nimbus"
        binary="$prefix/bin/nimbus-worker"
        config="$prefix/etc/worker.json"
        pidfile="$prefix/run/nimbus-worker.pid"
        log="$root/var/log/nimbus-worker.log"
        mkdir -p "$prefix/bin" "$prefix/etc" "$prefix/run" "$root/var/log"

        # Download and check the binary before anything is replaced.
        download="$binary.download"
        rm -f "$download"
        curl --fail --silent --show-error --retry 5 --retry-delay 2 --output "$download" "$NIMBUS_WORKER_URL" \
            || fail "downloading nimbus-worker failed (curl exit $?); check the worker network's private endpoint"
        actual="$(md5sum "$download" | cut -d ' ' -f 1)"
        expected="$(echo "$NIMBUS_WORKER_MD5" | tr 'A-F' 'a-f')"
        if [ "$actual" != "$expected" ]; then
            rm -f "$download"
            fail "MD5 mismatch for nimbus-worker: expected $expected, downloaded $actual; the blob was altered or damaged, launch the worker again so the appliance uploads it again"
        fi
        chmod 0755 "$download"

        # Stop a daemon an earlier bootstrap started (only if that PID still runs this worker with this config).
        if [ -f "$pidfile" ]; then
            old="$(cat "$pidfile" 2>/dev/null || true)"
            if [ -n "$old" ] && tr '\0' ' ' 2>/dev/null < "/proc/$old/cmdline" | grep -qF -- "$config"; then
                kill -TERM "$old" 2>/dev/null || true
                for _ in $(seq 1 100); do
                    kill -0 "$old" 2>/dev/null || break
                    sleep 0.2
                done
                kill -KILL "$old" 2>/dev/null || true
            fi
            rm -f "$pidfile"
        fi
        mv -f "$download" "$binary"

        ( umask 077; echo "$NIMBUS_WORKER_CONFIG" | base64 -d > "$config.new" ) \
            || fail "NIMBUS_WORKER_CONFIG is not base64 text"
        chmod 0600 "$config.new"
        mv -f "$config.new" "$config"

        arguments=(run --config "$config")
        if [ -n "$root" ] && [ -f "$root/etc/localcloud/network.env" ]; then
            arguments+=(--network-env "$root/etc/localcloud/network.env")
        fi

        if [ -z "$root" ] && [ -d /run/systemd/system ]; then
            cat > /etc/systemd/system/nimbus-worker.service <<UNIT
        [Unit]
        Description=Nimbus backup worker
        After=network-online.target
        Wants=network-online.target

        [Service]
        ExecStart=$binary ${arguments[*]}
        Restart=on-failure
        RestartSec=5
        KillSignal=SIGTERM
        TimeoutStopSec=60

        [Install]
        WantedBy=multi-user.target
        UNIT
            systemctl daemon-reload
            systemctl enable nimbus-worker.service
            systemctl restart nimbus-worker.service
            for _ in $(seq 1 60); do
                if systemctl is-active --quiet nimbus-worker.service; then
                    echo "nimbus-install: nimbus-worker.service is running"
                    exit 0
                fi
                sleep 1
            done
            journalctl -u nimbus-worker.service -n 20 --no-pager >&2 || true
            fail "nimbus-worker.service did not start"
        fi

        if [ -f "$log" ]; then mv -f "$log" "$log.1"; fi
        NIMBUS_EXTRA_CA_FILE="${NIMBUS_EXTRA_CA_FILE:-${SSL_CERT_FILE:-}}" \
            nohup "$binary" "${arguments[@]}" > "$log" 2>&1 < /dev/null &
        pid=$!
        echo "$pid" > "$pidfile"
        for _ in $(seq 1 300); do
            if ! kill -0 "$pid" 2>/dev/null; then
                tail -n 20 "$log" >&2 || true
                fail "nimbus-worker exited at start"
            fi
            if grep -q "Worker starting" "$log" 2>/dev/null; then
                echo "nimbus-install: nimbus-worker is running (pid $pid)"
                exit 0
            fi
            sleep 0.2
        done
        fail "nimbus-worker did not report that it started within 60 seconds; see $log"
        """#

    /// The Run Command script: downloads the install script over its SAS URL, checks its MD5 and runs it.
    public static let runCommandStub: [String] = [
        "#!/bin/bash",
        "set -euo pipefail",
        ": \"${NIMBUS_INSTALL_URL:?NIMBUS_INSTALL_URL is required}\" \"${NIMBUS_INSTALL_MD5:?NIMBUS_INSTALL_MD5 is required}\"",
        "mkdir -p \"${LOCALCLOUD_VM_ROOT:-}/tmp\"",
        "script=\"$(mktemp \"${LOCALCLOUD_VM_ROOT:-}/tmp/nimbus-install.XXXXXX\")\"",
        "trap 'rm -f \"$script\"' EXIT",
        "curl --fail --silent --show-error --retry 5 --retry-delay 2 --output \"$script\" \"$NIMBUS_INSTALL_URL\" "
            + "|| { echo \"nimbus-install: downloading the install script failed\" >&2; exit 1; }",
        "actual=\"$(md5sum \"$script\" | cut -d ' ' -f 1)\"",
        "if [ \"$actual\" != \"$NIMBUS_INSTALL_MD5\" ]; then echo \"nimbus-install: MD5 mismatch for "
            + InstallScript.blobName
            + ": expected $NIMBUS_INSTALL_MD5, downloaded $actual; launch the worker again so the appliance "
            + "uploads it again\" >&2; exit 1; fi",
        "bash \"$script\"",
    ]
}
