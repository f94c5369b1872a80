# rdd/: partitioners, text files, RDD operations in local mode.
sluice_test(rdd_tests unit rdd/partitioner_test.cc rdd/text_file_test.cc rdd/rdd_local_test.cc rdd/combine_map_test.cc)
