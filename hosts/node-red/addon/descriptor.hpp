// A node descriptor as a plain JavaScript object.
#pragma once

#include "wfp_plugin.h"

#include <napi.h>

Napi::Object DescriptorObject(Napi::Env env, const wfp_node_descriptor& descriptor);
