/*
 * A delegate plugin that needs a TensorFlow Lite symbol no TFLite build exports. Loaded with RTLD_NOW, dlopen
 * refuses it with "undefined symbol: TfLiteEdgewatchNoSuchFunction" instead of crashing on the first call.
 */
#include <stddef.h>
void *TfLiteEdgewatchNoSuchFunction(int);
__attribute__((visibility("default"))) void *tflite_plugin_create_delegate(char **k, char **v, size_t n, void (*e)(const char *)) {
    (void) k; (void) v; (void) n; (void) e;
    return TfLiteEdgewatchNoSuchFunction(1);
}
__attribute__((visibility("default"))) void tflite_plugin_destroy_delegate(void *d) { (void) d; }
