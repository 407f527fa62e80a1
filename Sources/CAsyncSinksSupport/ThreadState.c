#include "CAsyncSinksSupport.h"

__thread asyncsinks_thread_state asyncsinks_current_thread __attribute__((tls_model("initial-exec"))) = {0, 0, 0};
