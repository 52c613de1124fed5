// The compiled parts (src/util/native-addon.ts): the candidates scan's and the clustering's expansion; each file registers its functions.
#pragma once
#include <node_api.h>

#include <cstddef>

void registerBlock(napi_env env, napi_value exports);
void registerTopLists(napi_env env, napi_value exports);
void registerSortPairs(napi_env env, napi_value exports);
void registerExpand(napi_env env, napi_value exports);

// exports[name] = a function calling `callback`.
inline void exportFunction(napi_env env, napi_value exports, const char* name, napi_callback callback) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, callback, nullptr, &fn);
  napi_set_named_property(env, exports, name, fn);
}

// The call's arguments into `argv` (missing ones undefined); returns how many were passed.
template <size_t N>
size_t arguments(napi_env env, napi_callback_info info, napi_value (&argv)[N]) {
  size_t argc = N;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  return argc;
}

// Throws a TypeError with `message`; returns the nullptr a callback then returns.
inline napi_value fail(napi_env env, const char* message) {
  napi_throw_type_error(env, nullptr, message);
  return nullptr;
}

// `value` as a typed array of type `want`: its data and length; false for anything else.
template <typename T>
bool typed(napi_env env, napi_value value, napi_typedarray_type want, T** data, size_t* length) {
  bool is = false;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  void* raw;
  napi_get_typedarray_info(env, value, &type, length, &raw, &buffer, &offset);
  *data = static_cast<T*>(raw);
  return type == want;
}
