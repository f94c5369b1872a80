#include <catch2/catch.hpp>

#include <filesystem>

#include "common/paths.h"

using namespace sluice;

TEST_CASE("resolvePath takes a relative path against the base, or the working directory", "[common][paths]") {
  CHECK(resolvePath("out/", "/home/u/data") == "/home/u/data/out");
  CHECK(resolvePath("../in.txt", "/home/u/data") == "/home/u/in.txt");
  CHECK(resolvePath("./a/./b", "/x") == "/x/a/b");
  CHECK(resolvePath("/abs/out/", "/home/u") == "/abs/out");
  CHECK(resolvePath("", "/home/u").empty());
  CHECK(resolvePath("in.txt") == (std::filesystem::current_path() / "in.txt").string());
  CHECK(resolvePath(".", "/home/u") == "/home/u");
}

TEST_CASE("splitPathList splits a comma list and drops empty items", "[common][paths]") {
  CHECK(splitPathList("a.txt,conf/b.csv") == std::vector<std::string>{"a.txt", "conf/b.csv"});
  CHECK(splitPathList(",a,,b,") == std::vector<std::string>{"a", "b"});
  CHECK(splitPathList("").empty());
}
