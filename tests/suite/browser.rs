//! The browser suite (`tests/browser/`, see its README.md): axe, keyboard,
//! reflow, quick exit and privacy in Debian's headless Chromium. It needs
//! Chromium, Java and `npm ci` in `tests/browser`, so like the PostgreSQL
//! tests it runs only when asked, with `ENKAT_TEST_BROWSER=1` (`.ci/run` does).

use std::path::Path;
use std::process::Command;

#[test]
#[cfg_attr(
    not(enkat_browser),
    ignore = "browser tests skipped: set ENKAT_TEST_BROWSER=1 (see tests/browser/README.md)"
)]
fn browser_suite_passes() {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        suite.join("node_modules/playwright-core").is_dir(),
        "the browser suite's packages are missing: run `npm ci` in {}",
        suite.display()
    );
    // The binary cargo built for this test: the suite then builds nothing,
    // and never waits on cargo's lock of the target folder.
    // Two files at a time: each waits on its own server and Chromium much
    // of the time, and node's default on two cores is one.
    let run = Command::new("node")
        .arg("--test")
        .arg("--test-concurrency=2")
        .current_dir(&suite)
        .env("ENKAT_BIN", env!("CARGO_BIN_EXE_enkat"))
        .output()
        .expect("node runs (Node.js 20 or later)");
    let report = String::from_utf8_lossy(&run.stdout);
    println!("{report}{}", String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "the browser suite failed: see its report above");
    // A suite that found no test file would pass having checked nothing.
    let passed =
        report.lines().find_map(|line| line.strip_prefix("# pass ")).and_then(|n| n.trim().parse::<u32>().ok());
    assert!(passed.is_some_and(|n| n >= 30), "the browser suite ran {passed:?} passing tests, expected at least 30");
}
