# rpc/: frames and the ZeroMQ transport (the payload limits are in common.cmake's frames_tests).
sluice_test(rpc_tests unit rpc/frame_test.cc rpc/transport_test.cc rpc/transport_auth_test.cc rpc/batch_messages_test.cc
  rpc/send_composed_test.cc
  rpc/send_budget_test.cc)
