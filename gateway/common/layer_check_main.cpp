// The layer checks' program: never run. Linking it with one room's whole library and only the
// rooms below it is the check (see gateway/CMakeLists.txt).
int main() { return 0; }
