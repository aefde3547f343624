# The Rust library for the C Makefiles (included by bindings/c/Makefile and
# bindings/c/examples/Makefile; both set ROOT and BUILD first).
#
# $(build_rust_lib) is a recipe: `cargo rustc --release --lib` (CARGO_TARGET_DIR
# is respected), which also has rustc report what a static link of the archive
# needs besides it (`--print native-static-libs`; cargo replays the note when
# nothing needed rebuilding). The list is written to $(NATIVE_STATIC_LIBS_FILE)
# and read by NATIVE_STATIC_LIBS when a recipe uses it, so it always matches
# the toolchain and the code that built the archive. Set NATIVE_STATIC_LIBS to
# override it.

CARGO ?= cargo
CARGO_TARGET_DIR ?= $(ROOT)/target
RUST_LIBDIR := $(CARGO_TARGET_DIR)/release
NATIVE_STATIC_LIBS_FILE := $(BUILD)/native-static-libs
NATIVE_STATIC_LIBS ?= $(shell cat $(NATIVE_STATIC_LIBS_FILE))

define build_rust_lib
mkdir -p $(BUILD)
cd $(ROOT) && CARGO_TARGET_DIR=$(CARGO_TARGET_DIR) $(CARGO) rustc --release --lib \
	-- --print native-static-libs 2>$(BUILD)/cargo.log; \
	status=$$?; cat $(BUILD)/cargo.log >&2; exit $$status
sed -n 's/.*native-static-libs: //p' $(BUILD)/cargo.log | tail -n 1 >$(NATIVE_STATIC_LIBS_FILE)
test -s $(NATIVE_STATIC_LIBS_FILE) || \
	{ echo "rustc reported no native-static-libs: see $(BUILD)/cargo.log" >&2; exit 1; }
endef
