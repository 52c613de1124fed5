// The compiled part of the candidates scan (src/candidates/native-kernel.ts): each file registers its functions.
#pragma once
#include <node_api.h>

void registerBlock(napi_env env, napi_value exports);
void registerTopLists(napi_env env, napi_value exports);
void registerSortPairs(napi_env env, napi_value exports);

// exports[name] = a function calling `callback`.
inline void exportFunction(napi_env env, napi_value exports, const char* name, napi_callback callback) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, callback, nullptr, &fn);
  napi_set_named_property(env, exports, name, fn);
}
