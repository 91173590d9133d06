// The black-box driver turns LeakSanitizer off for itself. In the debug preset (ASan) every
// test is a fresh driver process, and LeakSanitizer's scan at its exit costs about 60 ms on
// the CI machines: 20 s of the suite, spent checking test code. The chapter servers are
// separate processes and keep their own leak check; ASan's other checks stay on in the driver.
// LeakSanitizer calls this hook, when a program defines it, before its exit-time scan.
extern "C" int __lsan_is_turned_off() {
  return 1;
}
