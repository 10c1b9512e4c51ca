# minyi: one readable Makefile.  `make` builds build/minyi, `make run` serves
# the example config, `make test` runs every suite and ends with the line
# "N passed, N failed".  Quiet unless V=1.

CC	?= cc
CXX	?= c++
BUILD	?= build
PKGS	 = libmicrohttpd jansson sqlite3 libcurl libcrypto icu-uc icu-i18n cmocka \
	   libsodium xlsxwriter libpq
DEBS	 = libmicrohttpd-dev libjansson-dev libsqlite3-dev libcurl4-openssl-dev \
	   libphonenumber-dev libicu-dev libssl-dev libcmocka-dev pkg-config g++ \
	   python3 openssl libsodium-dev libjs-chart.js libxlsxwriter-dev \
	   libjs-leaflet libpq-dev
# The workbench's charts are served from CHARTJS (libjs-chart.js) and the
# 代表 page's map from LEAFLET (libjs-leaflet), never a CDN.  Its browser tests need headless Chromium through Selenium and a
# Chinese font for the screenshots: installed for `make test` (TESTSTAMP).
CHARTJS		 = /usr/share/javascript/chart.js/chart.min.js
LEAFLET		 = /usr/share/javascript/leaflet
TEST_DEBS	 = chromium chromium-driver python3-selenium fonts-wqy-microhei \
		   python3-openpyxl postgresql python3-psycopg2

WARN	 = -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	   -Wshadow -Wpointer-arith -Wcast-qual -Wsign-compare
CSTD	 = -std=c17 -D_GNU_SOURCE
OPT	?= -O2 -g
SAN	?=
CFLAGS_ALL = $(CSTD) $(OPT) $(SAN) $(WARN) -MMD -MP -pthread \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
CXXFLAGS_ALL = -std=c++17 $(OPT) $(SAN) -Wall -Wextra -Werror -MMD -MP $(CXXFLAGS)
LIBS	 = $(shell pkg-config --libs libmicrohttpd jansson sqlite3 libcurl libcrypto icu-uc icu-i18n libsodium xlsxwriter libpq 2>/dev/null) \
	   -lphonenumber -lm -pthread
TESTLIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

# Every core, one target's output at a time (make -j1 to undo); a
# recursive make shares its parent's jobs.
ifeq ($(MAKELEVEL),0)
MAKEFLAGS	+= -j$(shell nproc 2>/dev/null || echo 1) --output-sync=target
endif

ifeq ($(V),1)
Q	 =
else
Q	 = @
endif

# --- sources, one line per file, grouped by folder (lowest layer first) ----
LIB_SRCS	+= lib/log.c
LIB_SRCS	+= lib/xmalloc.c
LIB_SRCS	+= lib/buf.c
LIB_SRCS	+= lib/timeutil.c
LIB_SRCS	+= lib/utf8.c
LIB_CXXSRCS	+= lib/phone.cc

CONFIG_SRCS	+= config/config.c
CONFIG_SRCS	+= config/templates.c

STORE_SRCS	+= store/store.c
STORE_SRCS	+= store/writer.c
STORE_SRCS	+= store/query.c
STORE_SRCS	+= store/console.c
STORE_SRCS	+= store/cases.c
STORE_SRCS	+= store/intake.c
STORE_SRCS	+= store/outbox.c
STORE_SRCS	+= store/evaluation.c
STORE_SRCS	+= store/pg.c
STORE_SRCS	+= store/copy.c

DIALOG_SRCS	+= dialogs/text.c
DIALOG_SRCS	+= dialogs/classify.c
DIALOG_SRCS	+= dialogs/lexicon.c
DIALOG_SRCS	+= dialogs/dialect.c
DIALOG_SRCS	+= dialogs/render.c
DIALOG_SRCS	+= dialogs/resident.c
DIALOG_SRCS	+= dialogs/workflow.c
DIALOG_SRCS	+= dialogs/staff.c
DIALOG_SRCS	+= dialogs/schedule.c
DIALOG_SRCS	+= dialogs/evaluation.c

ADAPTER_SRCS	+= adapters/adapter.c
ADAPTER_SRCS	+= adapters/sim.c
ADAPTER_SRCS	+= adapters/twilio.c
ADAPTER_SRCS	+= adapters/wechat_group.c
ADAPTER_SRCS	+= adapters/hotline.c
ADAPTER_SRCS	+= adapters/aliyun_sms.c
ADAPTER_SRCS	+= adapters/tencent_sms.c
ADAPTER_SRCS	+= adapters/push.c

GATEWAY_SRCS	+= gateway/http.c
GATEWAY_SRCS	+= gateway/api.c
GATEWAY_SRCS	+= gateway/inbound.c
GATEWAY_SRCS	+= gateway/conv.c
GATEWAY_SRCS	+= gateway/readers.c
GATEWAY_SRCS	+= gateway/metrics.c
GATEWAY_SRCS	+= gateway/chat.c
GATEWAY_SRCS	+= gateway/sender.c
GATEWAY_SRCS	+= gateway/staff.c
GATEWAY_SRCS	+= gateway/scheduler.c
GATEWAY_SRCS	+= gateway/import.c
GATEWAY_SRCS	+= gateway/limits.c
GATEWAY_SRCS	+= gateway/report.c
GATEWAY_SRCS	+= gateway/evaluation_sms.c
GATEWAY_SRCS	+= gateway/evaluation.c
GATEWAY_SRCS	+= gateway/results.c
GATEWAY_SRCS	+= gateway/figures.c
GATEWAY_SRCS	+= gateway/copy.c

CONSOLE_SRCS	+= console/account.c
CONSOLE_SRCS	+= console/passwd.c
CONSOLE_SRCS	+= console/session.c
CONSOLE_SRCS	+= console/pages.c
CONSOLE_SRCS	+= console/actions.c
CONSOLE_SRCS	+= console/evaluation.c
CONSOLE_SRCS	+= console/votes.c
CONSOLE_SRCS	+= console/lists.c
CONSOLE_SRCS	+= console/reports.c
CONSOLE_SRCS	+= console/deputies.c

MAIN		 = gateway/main.c

# Unit tests link only the layers they test, so each folder builds alone.
UNITS		+= tests/unit/test_lib.c
UNITS		+= tests/unit/test_phone.c
UNITS		+= tests/unit/test_config.c
UNITS		+= tests/unit/test_store.c
UNITS		+= tests/unit/test_text.c
UNITS		+= tests/unit/test_dialog.c
UNITS		+= tests/unit/test_firstmsg.c
UNITS		+= tests/unit/test_lexicon.c
UNITS		+= tests/unit/test_staff.c
UNITS		+= tests/unit/test_adapters.c
UNITS		+= tests/unit/test_domestic_sms.c
UNITS		+= tests/unit/test_scheduler.c
UNITS		+= tests/unit/test_evaluation.c
UNITS		+= tests/unit/test_store_conformance.c

# Fuzz targets (tests/fuzz/README.md): tests/fuzz/fuzz_<target>.c each, run
# under libFuzzer by `make fuzz`, replayed over tests/fuzz/corpus/<target>/
# by `make test`.
FUZZ_TARGETS	+= sim
FUZZ_TARGETS	+= twilio
FUZZ_TARGETS	+= wechat_group
FUZZ_TARGETS	+= hotline
FUZZ_TARGETS	+= aliyun_sms
FUZZ_TARGETS	+= tencent_sms
FUZZ_TARGETS	+= config
FUZZ_TARGETS	+= text
FUZZ_TARGETS	+= dialog

# -----------------------------------------------------------------------------
objs = $(patsubst %.c,$(BUILD)/%.o,$(patsubst %.cc,$(BUILD)/%.o,$(1)))
LIB_OBJS	 = $(call objs,$(LIB_SRCS) $(LIB_CXXSRCS))
CONFIG_OBJS	 = $(LIB_OBJS) $(call objs,$(CONFIG_SRCS))
STORE_OBJS	 = $(CONFIG_OBJS) $(call objs,$(STORE_SRCS))
DIALOG_OBJS	 = $(CONFIG_OBJS) $(call objs,$(DIALOG_SRCS))
ADAPTER_OBJS	 = $(CONFIG_OBJS) $(call objs,$(ADAPTER_SRCS))
ALL_OBJS	 = $(STORE_OBJS) $(call objs,$(DIALOG_SRCS) $(ADAPTER_SRCS) $(GATEWAY_SRCS) $(CONSOLE_SRCS))
UNITBINS	 = $(UNITS:tests/unit/%.c=$(BUILD)/tests/%)
DEPSTAMP	 = $(BUILD)/.deps-ok
TESTSTAMP	 = $(BUILD)/.test-deps-ok
FUZZ_ADAPTERS	 = sim twilio wechat_group hotline aliyun_sms tencent_sms
FUZZ_REPLAYS	 = $(FUZZ_TARGETS:%=$(BUILD)/tests/test_fuzz_%)
FUZZ_BINS	 = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

all: $(BUILD)/minyi

# Install what the build needs from Debian when run as root; otherwise say
# what to run.  One apt-get update first, once.
$(DEPSTAMP): Makefile
	$(Q)missing=""; \
	for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	[ -f /usr/include/phonenumbers/phonenumberutil.h ] || missing="$$missing libphonenumber"; \
	command -v g++ >/dev/null || missing="$$missing g++"; \
	command -v python3 >/dev/null || missing="$$missing python3"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	[ -f $(CHARTJS) ] || missing="$$missing libjs-chart.js"; \
	[ -f $(LEAFLET)/leaflet.js ] || missing="$$missing libjs-leaflet"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian packages (missing:$$missing)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS) >/dev/null || exit 1; \
		else \
			echo "missing:$$missing; run as root: apt-get update && apt-get install -y $(DEBS)"; exit 1; \
		fi; \
	fi
	$(Q)mkdir -p $(BUILD) && touch $@

# What the browser tests need (tests/integration/test_console_browser.py),
# the same way: without it that suite fails, it does not skip.  Debian's
# python3-selenium is found by a python3 built elsewhere (pyenv) too.
# PostgreSQL's server and psycopg2: the suites' PostgreSQL run
# (tests/pgcluster.py starts a cluster of its own; the service is not used).
$(TESTSTAMP): Makefile | $(DEPSTAMP)
	$(Q)missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null || missing="$$missing chromium-driver"; \
	python3 -c 'import sys; sys.path.append("/usr/lib/python3/dist-packages"); import selenium' \
	    2>/dev/null || missing="$$missing python3-selenium"; \
	python3 -c 'import sys; sys.path.append("/usr/lib/python3/dist-packages"); import openpyxl' \
	    2>/dev/null || missing="$$missing python3-openpyxl"; \
	[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	python3 -c 'import sys; sys.path.append("/usr/lib/python3/dist-packages"); import psycopg2' \
	    2>/dev/null || missing="$$missing python3-psycopg2"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian packages (missing:$$missing)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEST_DEBS) >/dev/null || exit 1; \
		else \
			echo "missing:$$missing; run as root: apt-get update && apt-get install -y $(TEST_DEBS)"; exit 1; \
		fi; \
	fi
	$(Q)mkdir -p $(BUILD) && touch $@

$(BUILD)/minyi: $(ALL_OBJS) $(BUILD)/$(MAIN:.c=.o)
	@echo "  LD      $@"
	$(Q)$(CXX) $(SAN) -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c | $(DEPSTAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/%.o: %.cc | $(DEPSTAMP)
	@mkdir -p $(dir $@)
	@echo "  CXX     $<"
	$(Q)$(CXX) $(CXXFLAGS_ALL) -c -o $@ $<

# ICU's pinyin of the common ideographs, written at build time by
# tools/pinyin_table.c for dialogs/text.c (ICU's Han-Latin takes ~130 ms
# to open; a server then opens it only for a rarer character).
$(BUILD)/gen/pinyin_table.h: tools/pinyin_table.c | $(DEPSTAMP)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(CC) -std=c17 -O1 -o $(BUILD)/gen/pinyin_table tools/pinyin_table.c \
	    $(shell pkg-config --cflags --libs icu-uc icu-i18n 2>/dev/null)
	$(Q)$(BUILD)/gen/pinyin_table > $@.tmp && mv $@.tmp $@
$(BUILD)/dialogs/text.o: $(BUILD)/gen/pinyin_table.h
$(BUILD)/dialogs/text.o: CFLAGS += -I$(BUILD)/gen

# the classifier's built-in examples: the first-message corpus's messages
# under their categories (tools/examples.py), their features counted by
# dialogs/classify.c built as a program (dialogs/README.md); the folders
# too, whose time changes when a county is taken out
$(BUILD)/gen/examples.tsv: tools/examples.py $(wildcard tests/data/firstmsg/*.tsv) \
    $(wildcard tests/data/config/*.json) config/minyi.example.json \
    tests/data/firstmsg tests/data/config | $(DEPSTAMP)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)python3 tools/examples.py $@
$(BUILD)/gen/examples_tool: dialogs/classify.c $(call objs,dialogs/text.c \
    dialogs/dialect.c dialogs/lexicon.c) $(LIB_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS_ALL) -DCLASSIFY_TOOL -MF $@.d -c -o $@.o dialogs/classify.c
	$(Q)$(CXX) $(SAN) -o $@ $@.o $(call objs,dialogs/text.c dialogs/dialect.c \
	    dialogs/lexicon.c) $(LIB_OBJS) $(LIBS)
$(BUILD)/gen/examples.h: $(BUILD)/gen/examples_tool $(BUILD)/gen/examples.tsv
	@echo "  GEN     $@"
	$(Q)ASAN_OPTIONS=detect_leaks=0 $(BUILD)/gen/examples_tool \
	    $(BUILD)/gen/examples.tsv > $@.tmp && mv $@.tmp $@
$(BUILD)/dialogs/classify.o: $(BUILD)/gen/examples.h
$(BUILD)/dialogs/classify.o: CFLAGS += -I$(BUILD)/gen

# where the workbench's files are read from at run time
$(BUILD)/console/pages.o: CFLAGS += -DMINYI_CONSOLE_DIR='"$(CURDIR)/console/static"' \
	   -DMINYI_CHARTJS='"$(CHARTJS)"' -DMINYI_LEAFLET='"$(LEAFLET)"'

$(BUILD)/tests/test_lib: $(LIB_OBJS)
$(BUILD)/tests/test_phone: $(LIB_OBJS)
$(BUILD)/tests/test_config: $(CONFIG_OBJS)
$(BUILD)/tests/test_store: $(STORE_OBJS)
$(BUILD)/tests/test_store_conformance: $(STORE_OBJS)
$(BUILD)/tests/test_text: $(CONFIG_OBJS) $(call objs,dialogs/text.c dialogs/classify.c dialogs/lexicon.c dialogs/dialect.c)
$(BUILD)/tests/test_dialog: $(DIALOG_OBJS)
$(BUILD)/tests/test_firstmsg: $(DIALOG_OBJS)
$(BUILD)/tests/test_lexicon: $(DIALOG_OBJS)
$(BUILD)/tests/test_staff: $(DIALOG_OBJS)
$(BUILD)/tests/test_evaluation: $(DIALOG_OBJS)
$(BUILD)/tests/test_adapters: $(ADAPTER_OBJS)
# includes the two adapters itself, to reach their static signing functions
$(BUILD)/tests/test_domestic_sms: $(filter-out $(call objs,adapters/aliyun_sms.c adapters/tencent_sms.c),$(ADAPTER_OBJS))
# the shell without its CLI commands (main.c, and those that call into it)
$(BUILD)/tests/test_scheduler: $(filter-out $(call objs,gateway/chat.c gateway/import.c gateway/report.c console/passwd.c gateway/evaluation.c gateway/copy.c),$(ALL_OBJS))
$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o
	@echo "  LD      $@"
	$(Q)$(CXX) $(SAN) -o $@ $^ $(LIBS) $(TESTLIBS)

# --- bench (bench/README.md) -------------------------------------------------
# `make bench`: not part of `make test`.  The bare ceiling, the fake
# provider and the store filler, then bench/bench.py prints one table
# (BENCH_ARGS, e.g. "--runs 1 --seconds 5 --only inbound").  wrk and Kannel
# (with its fakesmsc, in kannel-extras) come from Debian when run as root.
BENCH_DEBS	 = wrk kannel kannel-extras
BENCH_BINS	 = $(BUILD)/bench/bare $(BUILD)/bench/fakeprov $(BUILD)/bench/fill

$(BUILD)/bench/bare $(BUILD)/bench/fakeprov: $(BUILD)/bench/%: bench/%.c | $(DEPSTAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(LIBS)

$(BUILD)/bench/fill: $(BUILD)/bench/fill.o $(STORE_OBJS)
	@echo "  LD      $@"
	$(Q)$(CXX) $(SAN) -o $@ $^ $(LIBS)

bench-deps:
	$(Q)if ! command -v wrk >/dev/null || [ ! -x /usr/sbin/bearerbox ] || \
	    [ ! -x /usr/lib/kannel/test/fakesmsc ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian packages ($(BENCH_DEBS))"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			    apt-get install -y -qq $(BENCH_DEBS) >/dev/null || exit 1; \
		else \
			echo "missing wrk or Kannel; run as root: apt-get install -y $(BENCH_DEBS)"; exit 1; \
		fi; \
	fi

-include $(BUILD)/bench/fill.d

bench: $(BUILD)/minyi $(BENCH_BINS) bench-deps
	$(Q)python3 bench/bench.py --build $(BUILD) $(BENCH_ARGS)

# --- install (dist/README.md) -------------------------------------------------
# `make install PREFIX=/usr DESTDIR=/tmp/pkg`: the binary, the systemd unit
# and its sysusers file, the example config and the docs.  Never /etc: the
# operator writes the config there (README, "Run as a service").
PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
DATADIR		?= $(PREFIX)/share
SYSCONFDIR	?= /etc
UNITDIR		?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR	?= $(PREFIX)/lib/sysusers.d
INSTALL		?= install

install: $(BUILD)/minyi
	$(Q)$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(DATADIR)/minyi $(DESTDIR)$(DATADIR)/doc/minyi
	$(Q)$(INSTALL) -m 0755 $(BUILD)/minyi $(DESTDIR)$(BINDIR)/minyi
	$(Q)sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    -e 's|@DATADIR@|$(DATADIR)|g' dist/minyi.service.in >$(BUILD)/minyi.service
	$(Q)$(INSTALL) -m 0644 $(BUILD)/minyi.service $(DESTDIR)$(UNITDIR)/minyi.service
	$(Q)$(INSTALL) -m 0644 dist/minyi.sysusers $(DESTDIR)$(SYSUSERSDIR)/minyi.conf
	$(Q)$(INSTALL) -m 0644 config/minyi.example.json $(DESTDIR)$(DATADIR)/minyi/minyi.example.json
	$(Q)$(INSTALL) -d $(DESTDIR)$(DATADIR)/minyi/console
	$(Q)$(INSTALL) -m 0644 console/static/* $(DESTDIR)$(DATADIR)/minyi/console/
	$(Q)$(INSTALL) -m 0644 README.md $(DESTDIR)$(DATADIR)/doc/minyi/README.md
	$(Q)$(INSTALL) -m 0644 config/README.md $(DESTDIR)$(DATADIR)/doc/minyi/config.md
	@echo "  INSTALL $(DESTDIR)$(BINDIR)/minyi, $(DESTDIR)$(UNITDIR)/minyi.service"

# The example's secrets for trying it on one machine (never for real use):
# each variable the example's *_env keys name, unless already set.
DEV_ENV	 = MINYI_ADMIN_TOKEN=$${MINYI_ADMIN_TOKEN:-dev-token} \
	   TWILIO_AUTH_TOKEN=$${TWILIO_AUTH_TOKEN:-dev-twilio-token} \
	   MINYI_GROUP_SECRET=$${MINYI_GROUP_SECRET:-dev-group-secret} \
	   MINYI_HOTLINE_SECRET=$${MINYI_HOTLINE_SECRET:-dev-hotline-secret}

run: $(BUILD)/minyi
	@mkdir -p var
	$(DEV_ENV) $(BUILD)/minyi serve --config config/minyi.example.json

# check-config on the example with the environment `make run` gives it.
check-config: $(BUILD)/minyi
	$(Q)$(DEV_ENV) $(BUILD)/minyi check-config config/minyi.example.json

# Every suite: cmocka unit tests, then integration tests against the real
# binary.  tests/run prints one line per test and the total last.
# Every suite twice, as CI runs it: the normal build, then the same under
# AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/); one total.
ASAN_FLAGS	 = OPT="-O1 -g" \
		   SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
test: test-bins $(TESTSTAMP)
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan $(ASAN_FLAGS) test-bins
	$(Q)python3 tests/run.py --build $(BUILD) --build build-asan --postgresql auto

test-bins: $(BUILD)/minyi $(UNITBINS) $(FUZZ_REPLAYS)

test-asan: $(TESTSTAMP)
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan $(ASAN_FLAGS) test-bins
	$(Q)python3 tests/run.py --build build-asan

# The integration suite with the server under valgrind's memcheck (installed
# from Debian when run as root): a leak or a memory error makes valgrind
# exit 99 and the test fail.  Library caches: tests/drills/valgrind.supp.
VALGRIND	?= valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full \
		   --show-leak-kinds=definite,possible \
		   --errors-for-leak-kinds=definite,possible --num-callers=40 \
		   --suppressions=$(CURDIR)/tests/drills/valgrind.supp
test-valgrind: $(BUILD)/minyi $(TESTSTAMP)
	$(Q)if ! command -v valgrind >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian packages (missing: valgrind)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null || exit 1; \
		else \
			echo "missing: valgrind; run as root: apt-get update && apt-get install -y valgrind"; exit 1; \
		fi; \
	fi
	$(Q)MINYI_WRAPPER="$(VALGRIND)" python3 tests/run.py --build $(BUILD) --no-unit

# The drills (tests/drills/README.md), not part of `make test`: kill -9
# under load, then a provider outage; each prints its counts and takes
# about a minute.
drill: $(BUILD)/minyi
	$(Q)python3 tests/drills/crash_drill.py --build $(BUILD)
	$(Q)python3 tests/drills/outage_drill.py --build $(BUILD)

clean:
	rm -rf build build-asan

# --- fuzzing ------------------------------------------------------------------
# Each driver links twice: with replay.c into $(BUILD)/tests/test_fuzz_<t>
# (any compiler, the warning flags above; `make test` runs it over its
# corpus), and with libFuzzer into $(FUZZ_BUILD)/fuzz/fuzz_<t>, every
# object rebuilt there by clang with ASan and UBSan.  `make -j2 fuzz
# FUZZ_SECONDS=N` runs each target N seconds, two at a time: new inputs
# go to tests/fuzz/out/<t>/ (with the log, out/<t>.log), crashes to
# tests/fuzz/crashes/.
FUZZ_SECONDS	?= 60
FUZZ_BUILD	?= build-fuzz
FUZZ_DEBS	 = clang libclang-rt-dev
FUZZ_SAN	 = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		   -fno-omit-frame-pointer
FUZZ_FLAGS	?= -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=2

$(FUZZ_ADAPTERS:%=$(BUILD)/tests/test_fuzz_%) $(FUZZ_ADAPTERS:%=$(BUILD)/fuzz/fuzz_%): $(ADAPTER_OBJS) $(BUILD)/tests/fuzz/harness_adapter.o
$(BUILD)/tests/test_fuzz_config $(BUILD)/fuzz/fuzz_config: $(ADAPTER_OBJS) $(call objs,$(DIALOG_SRCS))
$(BUILD)/tests/test_fuzz_text $(BUILD)/fuzz/fuzz_text: $(DIALOG_OBJS)
$(BUILD)/tests/test_fuzz_dialog $(BUILD)/fuzz/fuzz_dialog: $(DIALOG_OBJS)

$(FUZZ_REPLAYS): $(BUILD)/tests/test_fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay_%.o
	@echo "  LD      $@"
	$(Q)$(CXX) $(SAN) -o $@ $^ $(LIBS)

# replay.c once per target: FUZZ_CORPUS is the directory it replays
$(BUILD)/tests/fuzz/replay_%.o: tests/fuzz/replay.c | $(DEPSTAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $< ($*)"
	$(Q)$(CC) $(CFLAGS_ALL) -DFUZZ_CORPUS='"tests/fuzz/corpus/$*"' -c -o $@ $<

$(FUZZ_BINS): $(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) $(SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# clang with libFuzzer, from Debian when run as root (like $(DEPSTAMP)).
$(FUZZ_BUILD)/.clang-ok:
	$(Q)mkdir -p $(FUZZ_BUILD)
	$(Q)probe='int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }'; \
	if ! echo "$$probe" | clang -fsanitize=fuzzer -x c -o $(FUZZ_BUILD)/.clang-probe - >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian packages (missing: clang with libFuzzer)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(FUZZ_DEBS) >/dev/null || exit 1; \
		else \
			echo "missing: clang with libFuzzer; run as root: apt-get update && apt-get install -y $(FUZZ_DEBS)"; exit 1; \
		fi; \
	fi
	$(Q)rm -f $(FUZZ_BUILD)/.clang-probe && touch $@

fuzz-build: $(FUZZ_BUILD)/.clang-ok
	$(Q)$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang CXX=clang++ \
	    OPT="-O1 -g" SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" fuzz-bins

fuzz-bins: $(FUZZ_BINS)
	@:

fuzz: $(FUZZ_TARGETS:%=fuzz-run-%)

$(FUZZ_TARGETS:%=fuzz-run-%): fuzz-run-%: fuzz-build
	@mkdir -p tests/fuzz/out/$* tests/fuzz/crashes
	@echo "  FUZZ    $* ($(FUZZ_SECONDS)s)"
	$(Q)$(FUZZ_BUILD)/fuzz/fuzz_$* -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) \
	    -dict=tests/fuzz/dict/$*.dict -artifact_prefix=tests/fuzz/crashes/$*- \
	    tests/fuzz/out/$* tests/fuzz/corpus/$* >tests/fuzz/out/$*.log 2>&1 || \
	    { tail -n 40 tests/fuzz/out/$*.log; echo "fuzz $*: failed, see tests/fuzz/crashes/"; exit 1; }
	@awk '/number_of_executed_units/ { n = $$2 } /new_units_added/ { u = $$2 } \
	    END { printf "  fuzz    %-13s %12s runs %6s new inputs\n", "$*", n, u }' tests/fuzz/out/$*.log

clean: clean-fuzz
clean-fuzz:
	rm -rf $(FUZZ_BUILD)

.PHONY: all run install test test-bins test-asan clean
.PHONY: bench bench-deps
.PHONY: test-valgrind drill
.PHONY: fuzz fuzz-build fuzz-bins clean-fuzz $(FUZZ_TARGETS:%=fuzz-run-%)
.SECONDARY:

-include $(ALL_OBJS:.o=.d) $(BUILD)/$(MAIN:.c=.d) $(UNITBINS:$(BUILD)/tests/%=$(BUILD)/tests/unit/%.d)
-include $(wildcard $(BUILD)/tests/fuzz/*.d)
