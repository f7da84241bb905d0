/* A shared library that is not a TensorFlow Lite delegate plugin: it exports no tflite_plugin_* symbol. */
__attribute__((visibility("default"))) int ew_not_a_delegate(void) { return 42; }
