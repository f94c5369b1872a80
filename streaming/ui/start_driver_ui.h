// startDriverUi: the driver UI of a started StreamingContext, as its settings say
// (ui.enabled, driver.bindAddress, ui.port, ui.port.maxRetries).
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

// The URL users (and the master's page) open for a UI bound to bind_host:port: a wildcard
// bind (0.0.0.0, ::, empty) is reached at driver_host (driver.host).
std::string driverUiUrl(const std::string& bind_host, const std::string& driver_host, int port);

}  // namespace sluice
