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

## Runs each libFuzzer target for FUZZ_SECONDS (default 60) from seeds built by Fuzz/make-corpus.sh, then
## prints each one's runs and corpus size; crashes are written to .build/fuzz/artifacts, logs to .build/fuzz/logs.
## A separate build folder keeps the normal build untouched (lld: gold fails on libFuzzer's objects).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= FuzzPartitions FuzzExt4 FileRestoreFuzzNTFS
fuzz: deps
	@scripts/install-deps.sh test
	Fuzz/make-corpus.sh .build/fuzz/seeds
	@mkdir -p .build/fuzz/artifacts .build/fuzz/logs
	@for target in $(FUZZ_TARGETS); do \
		$(SWIFT) build -c debug --scratch-path .build/fuzz/build -Xswiftc -sanitize=fuzzer,address \
			-Xswiftc -DFUZZING -Xswiftc -use-ld=lld --product $$target || exit 1; \
	done
	@failed=""; for target in $(FUZZ_TARGETS); do \
		case $$target in \
			FuzzPartitions) seeds=partitions; length=262144;; \
			FuzzExt4) seeds=ext4; length=262144;; \
			FileRestoreFuzzNTFS) seeds=ntfs; length=2097152;; \
			*) echo "no seeds for fuzz target $$target: add it to the Makefile and Fuzz/make-corpus.sh"; exit 1;; \
		esac; \
		mkdir -p .build/fuzz/corpus/$$target; \
		echo "fuzzing $$target for $(FUZZ_SECONDS) s (log: .build/fuzz/logs/$$target.log)"; \
		.build/fuzz/build/debug/$$target .build/fuzz/corpus/$$target .build/fuzz/seeds/$$seeds \
			-max_total_time=$(FUZZ_SECONDS) -max_len=$$length -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=.build/fuzz/artifacts/$$target- >.build/fuzz/logs/$$target.log 2>&1 \
			|| failed="$$failed $$target"; \
		grep -E "^Done [0-9]+ runs|^SUMMARY|^==[0-9]+==ERROR|ERROR: libFuzzer|Test unit written" \
			.build/fuzz/logs/$$target.log | sed "s|^|  $$target: |"; \
		echo "  $$target: corpus $$(ls .build/fuzz/corpus/$$target | wc -l) inputs"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzzing found problems in:$$failed (see .build/fuzz/artifacts)"; exit 1; fi

format:
	$(SWIFT) format --in-place --recursive --parallel Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Tests

clean:
	rm -rf .build
