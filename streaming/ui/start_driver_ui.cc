#include "streaming/ui/start_driver_ui.h"

#include <spdlog/spdlog.h>

namespace sluice {

std::unique_ptr<DriverUI> startDriverUi(const StreamingSettings& settings, const std::string& app_id,
                                        const std::string& app_name, DriverUI::ProgressFn progress) {
  if (!settings.ui_enabled) return nullptr;
  DriverUI::Options o;
  o.host = settings.ui_host;
  o.port = settings.ui_port;
  o.max_retries = settings.ui_port_max_retries;
  o.app_id = app_id;
  o.app_name = app_name;
  auto ui = DriverUI::start(o, std::move(progress));
  if (!ui) {
    spdlog::error("{}; streaming goes on without its UI", ui.status().message());
    return nullptr;
  }
  return std::move(*ui);
}

std::string driverUiUrl(const std::string& bind_host, const std::string& driver_host, int port) {
  const bool wildcard = bind_host.empty() || bind_host == "0.0.0.0" || bind_host == "::";
  return "http://" + (wildcard ? driver_host : bind_host) + ":" + std::to_string(port);
}

}  // namespace sluice
