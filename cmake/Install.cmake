# `cmake --install build` puts the daemons and sluice-tune in bin/, libsluice.so in lib/, the headers in
# include/sluice/ and a package config, so that an out-of-tree application can do
#   find_package(Sluice REQUIRED)
#   sluice_add_app(my_app my_app.cc)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS sluice sluice-executor sluice-submit sluice-master sluice-worker sluice-tune sluice-kafka-mock ${SLUICE_COMPONENT_TARGETS}
  EXPORT SluiceTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION include/sluice include)
foreach(c ${SLUICE_COMPONENTS})
  install(TARGETS sluice_${c} EXPORT SluiceTargets)
  install(DIRECTORY ${c}/ DESTINATION include/sluice/${c} FILES_MATCHING PATTERN "*.h")
endforeach()
install(DIRECTORY include/sluice/ DESTINATION include/sluice)
install(EXPORT SluiceTargets NAMESPACE Sluice:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Sluice)
configure_package_config_file(cmake/SluiceConfig.cmake.in ${CMAKE_BINARY_DIR}/SluiceConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Sluice)
install(FILES ${CMAKE_BINARY_DIR}/SluiceConfig.cmake cmake/SluiceApp.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Sluice)

# The cluster scripts go to sbin/ (as Spark's do), so that the install prefix is SLUICE_HOME:
# they run the daemons from bin/ and keep logs/ and work/ beside them; conf/ gets the templates.
install(PROGRAMS scripts/sluice-daemon.sh scripts/start-master.sh scripts/start-worker.sh
  scripts/start-workers.sh scripts/start-cluster.sh scripts/stop-master.sh scripts/stop-worker.sh
  scripts/stop-workers.sh scripts/stop-cluster.sh
  DESTINATION sbin)
install(FILES conf/workers.template conf/sluice-env.sh.template conf/fairscheduler.xml.template
  DESTINATION conf)
