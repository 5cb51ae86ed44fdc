# Nimbus — the two commands a new user needs are `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/nimbus

.PHONY: all deps build release worker test conformance demo bench fuzz format lint clean

all: build

deps:
	@scripts/install-deps.sh build

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product nimbus

## Builds the worker daemon as one file with a static Swift runtime (runs on a stock Ubuntu 22.04 VM).
worker: deps
	$(SWIFT) build -c release --static-swift-stdlib --product nimbus-worker
	@ls -l .build/release/nimbus-worker | awk '{ printf "nimbus-worker: %.1f MiB\n", $$5 / 1048576 }'

## Builds and runs every test (Swift tests in parallel, then the Azure SDK conformance suite).
test: deps
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) conformance

## Runs Microsoft's Azure SDKs (Python, in .venv) against LocalCloud from the debug build.
conformance: deps
	$(SWIFT) build --product nimbus
	Tests/conformance/run.sh

## Runs the main job on the embedded default.
demo: release
	$(RELEASE_BIN) demo

## Runs the benchmark side by side with restic and borg; writes Benchmarks/README.md.
bench: release
	@scripts/install-deps.sh bench
	Benchmarks/run.sh

## Runs each libFuzzer target for FUZZ_SECONDS (default 60) from seeds built by Fuzz/make-corpus.sh;
## crashes are written to .build/fuzz/artifacts. A separate build folder keeps the normal build untouched.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= FuzzPartitions FuzzExt4
fuzz: deps
	@scripts/install-deps.sh test
	Fuzz/make-corpus.sh .build/fuzz/seeds
	@mkdir -p .build/fuzz/artifacts
	@for target in $(FUZZ_TARGETS); do \
		$(SWIFT) build -c debug --scratch-path .build/fuzz/build -Xswiftc -sanitize=fuzzer,address \
			-Xswiftc -DFUZZING --product $$target || exit 1; \
		case $$target in FuzzPartitions) seeds=partitions;; FuzzExt4) seeds=ext4;; *) seeds=$$target;; esac; \
		mkdir -p .build/fuzz/corpus/$$target; \
		.build/fuzz/build/debug/$$target .build/fuzz/corpus/$$target .build/fuzz/seeds/$$seeds \
			-max_total_time=$(FUZZ_SECONDS) -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=.build/fuzz/artifacts/$$target- || exit 1; \
	done

format:
	$(SWIFT) format --in-place --recursive --parallel Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Tests

clean:
	rm -rf .build
