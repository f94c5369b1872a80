// The one header an application includes.
#pragma once

#include "driver/app.h"
#include "driver/context.h"
#include "streaming/streaming_context.h"
#include "streaming/kafka/kafka_utils.h"
#include "rdd/broadcast.h"
#include "rdd/rdd.h"
