#include "CAsyncSinksSupport.h"

__thread asyncsinks_thread_state asyncsinks_current_thread = {0, 0};
