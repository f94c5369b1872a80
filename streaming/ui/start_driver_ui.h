// startDriverUi: the driver UI of a started StreamingContext, as its settings say
// (ui.enabled, driver.bindAddress, ui.port, port.maxRetries, driver.host).
#pragma once

#include <memory>
#include <string>

#include "streaming/streaming_settings.h"
#include "streaming/ui/driver_ui.h"

namespace sluice {

// Null when settings.ui_enabled is false, or when the UI cannot bind: that error is logged
// and streaming goes on without its UI. progress() is called on the UI's threads.
std::unique_ptr<DriverUI> startDriverUi(const StreamingSettings& settings, const std::string& app_id,
                                        const std::string& app_name, DriverUI::ProgressFn progress);

}  // namespace sluice
