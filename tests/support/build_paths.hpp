#pragma once

// Absolute paths the tests need: the source tree and programs they run. They are compiled into
// one small generated source file per test program (`roserocket_test_build_paths` in
// tests/CMakeLists.txt), not passed as `-D` definitions: a path in a definition is part of every
// compile command of the program, so a clone in another folder would miss ccache for all of them
// (ccache rewrites path arguments under its base directory, never the text of a definition).
//
// Each macro below exists only when the program was given that path (`RR_HAVE_<NAME>` is defined
// then), so `#ifdef RR_EMULATOR_EXE` keeps meaning "the program was built with rr-emulator".

namespace roserocket_test_paths {
extern const char* const source_dir;
extern const char* const emulator_exe;
extern const char* const authorization_code_example;
extern const char* const getting_started_example;
extern const char* const rr_exe;
extern const char* const fake_browser;
extern const char* const completion_script;
}  // namespace roserocket_test_paths

#ifdef RR_HAVE_SOURCE_DIR
#define ROSEROCKET_SOURCE_DIR (::roserocket_test_paths::source_dir)
#endif
#ifdef RR_HAVE_EMULATOR_EXE
#define RR_EMULATOR_EXE (::roserocket_test_paths::emulator_exe)
#endif
#ifdef RR_HAVE_AUTHORIZATION_CODE_EXAMPLE
#define RR_AUTHORIZATION_CODE_EXAMPLE (::roserocket_test_paths::authorization_code_example)
#endif
#ifdef RR_HAVE_GETTING_STARTED_EXAMPLE
#define RR_GETTING_STARTED_EXAMPLE (::roserocket_test_paths::getting_started_example)
#endif
#ifdef RR_HAVE_RR_EXE
#define RR_EXE (::roserocket_test_paths::rr_exe)
#endif
#ifdef RR_HAVE_FAKE_BROWSER
#define RR_FAKE_BROWSER (::roserocket_test_paths::fake_browser)
#endif
#ifdef RR_HAVE_COMPLETION_SCRIPT
#define RR_COMPLETION (::roserocket_test_paths::completion_script)
#endif
