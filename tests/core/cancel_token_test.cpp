#include "core/cancel_token.hpp"

#include <gtest/gtest.h>

using namespace pms;

TEST(CancelToken, RunsCallbacksOnceAndSkipsUnregistered) {
  CancelToken t;
  int a = 0, b = 0;
  auto ra = t.on_cancel([&] { ++a; });
  {
    auto rb = t.on_cancel([&] { ++b; });
  }
  EXPECT_FALSE(t.cancelled());
  t.cancel();
  t.cancel();
  EXPECT_TRUE(t.cancelled());
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 0);
}

TEST(CancelToken, CallbackRegisteredAfterCancelRunsAtOnce) {
  CancelToken t;
  t.cancel();
  bool ran = false;
  auto r = t.on_cancel([&] { ran = true; });
  EXPECT_TRUE(ran);
}
