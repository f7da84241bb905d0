/*
 * Minimal declarations of the TensorFlow Lite C ABI that edgewatch's test delegates need.
 *
 * The TFLite headers are not installed on the build machines, so this file declares only the structs and
 * fields used here, in the order and with the sizes of tensorflow/lite/core/c/common.h of TensorFlow Lite 2.20
 * (the version of the Bytedeco tensorflow-lite 2.20.0-1.5.13 preset the agent runs). Struct sizes were checked
 * against the preset with JavaCPP's Loader.sizeof/offsetof on linux-x86_64 (LP64) and are asserted below.
 * Fields after the last one used are kept as opaque padding.
 */
#ifndef EDGEWATCH_TFLITE_MIN_H
#define EDGEWATCH_TFLITE_MIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { kTfLiteOk = 0, kTfLiteError = 1, kTfLiteDelegateError = 2 } TfLiteStatus;

enum { kTfLiteFloat32 = 1 };
enum { kTfLiteActNone = 0, kTfLiteActRelu = 1, kTfLiteActReluN1To1 = 2, kTfLiteActRelu6 = 3 };
/* TfLiteBuiltinOperator values (tensorflow/lite/core/c/builtin_op_data.h / schema). */
enum { kTfLiteBuiltinAdd = 0, kTfLiteBuiltinConcatenation = 2, kTfLiteBuiltinLogistic = 14, kTfLiteBuiltinDelegate = 51 };

typedef struct TfLiteIntArray {
    int size;
    int data[];
} TfLiteIntArray;

typedef union TfLitePtrUnion {
    int32_t *i32;
    float *f;
    char *raw;
    void *data;
} TfLitePtrUnion;

typedef struct TfLiteQuantizationParams {
    float scale;
    int32_t zero_point;
} TfLiteQuantizationParams;

typedef struct TfLiteTensor {
    int type;                        /* TfLiteType */
    TfLitePtrUnion data;
    TfLiteIntArray *dims;
    TfLiteQuantizationParams params;
    int allocation_type;
    size_t bytes;
    char opaque_rest_[112 - 48];     /* allocation, delegate, buffer_handle, ..., dims_signature */
} TfLiteTensor;

struct TfLiteDelegate;
struct TfLiteRegistration;

typedef struct TfLiteNode {
    TfLiteIntArray *inputs;
    TfLiteIntArray *outputs;
    TfLiteIntArray *intermediates;
    TfLiteIntArray *temporaries;
    void *user_data;
    void *builtin_data;
    const void *custom_initial_data;
    int custom_initial_data_size;
    struct TfLiteDelegate *delegate;
    bool might_have_side_effect;
} TfLiteNode;

typedef struct TfLiteContext {
    size_t tensors_size;
    TfLiteStatus (*GetExecutionPlan)(struct TfLiteContext *context, TfLiteIntArray **execution_plan);
    TfLiteTensor *tensors;
    void *impl_;
    TfLiteStatus (*ResizeTensor)(struct TfLiteContext *, TfLiteTensor *tensor, TfLiteIntArray *new_size);
    void (*ReportError)(struct TfLiteContext *, const char *format, ...);
    TfLiteStatus (*AddTensors)(struct TfLiteContext *, int tensors_to_add, int *first_new_tensor_index);
    TfLiteStatus (*GetNodeAndRegistration)(struct TfLiteContext *, int node_index, TfLiteNode **node,
                                           struct TfLiteRegistration **registration);
    TfLiteStatus (*ReplaceNodeSubsetsWithDelegateKernels)(struct TfLiteContext *, struct TfLiteRegistration registration,
                                                          const TfLiteIntArray *nodes_to_replace,
                                                          struct TfLiteDelegate *delegate);
    /* further members (recommended_num_threads, GetExternalContext, ...) are not used */
} TfLiteContext;

typedef struct TfLiteRegistration {
    void *(*init)(TfLiteContext *context, const char *buffer, size_t length);
    void (*free)(TfLiteContext *context, void *buffer);
    TfLiteStatus (*prepare)(TfLiteContext *context, TfLiteNode *node);
    TfLiteStatus (*invoke)(TfLiteContext *context, TfLiteNode *node);
    const char *(*profiling_string)(const TfLiteContext *context, const TfLiteNode *node);
    int32_t builtin_code;
    const char *custom_name;
    int version;
    void *registration_external;
    void *(*async_kernel)(TfLiteContext *context, TfLiteNode *node);
    uint64_t inplace_operator;
} TfLiteRegistration;

typedef struct TfLiteDelegate {
    void *data_;
    TfLiteStatus (*Prepare)(TfLiteContext *context, struct TfLiteDelegate *delegate);
    TfLiteStatus (*CopyFromBufferHandle)(TfLiteContext *, struct TfLiteDelegate *, int, TfLiteTensor *);
    TfLiteStatus (*CopyToBufferHandle)(TfLiteContext *, struct TfLiteDelegate *, int, TfLiteTensor *);
    void (*FreeBufferHandle)(TfLiteContext *, struct TfLiteDelegate *, int *);
    int64_t flags;
    void *opaque_delegate_builder;
} TfLiteDelegate;

/* What ReplaceNodeSubsetsWithDelegateKernels passes as `buffer` to the kernel's init. */
typedef struct TfLiteDelegateParams {
    struct TfLiteDelegate *delegate;
    TfLiteIntArray *nodes_to_replace;
    TfLiteIntArray *input_tensors;
    TfLiteIntArray *output_tensors;
} TfLiteDelegateParams;

typedef struct TfLiteConcatenationParams {
    int axis;
    int activation;
} TfLiteConcatenationParams;

typedef struct TfLiteAddParams {
    int activation;
    bool pot_scale_int16;
} TfLiteAddParams;

/* Exported by the TensorFlow Lite library; resolved only once the agent has promoted it to global visibility. */
TfLiteIntArray *TfLiteIntArrayCreate(int size);
void TfLiteIntArrayFree(TfLiteIntArray *a);

#if defined(__LP64__)
_Static_assert(sizeof(TfLiteTensor) == 112, "TfLiteTensor must match TFLite 2.20 (112 bytes on LP64)");
_Static_assert(sizeof(TfLiteNode) == 80, "TfLiteNode must match TFLite 2.20 (80 bytes on LP64)");
_Static_assert(sizeof(TfLiteRegistration) == 88, "TfLiteRegistration must match TFLite 2.20 (88 bytes on LP64)");
_Static_assert(sizeof(TfLiteDelegate) == 56, "TfLiteDelegate must match TFLite 2.20 (56 bytes on LP64)");
_Static_assert(offsetof(TfLiteContext, ReplaceNodeSubsetsWithDelegateKernels) == 64, "TfLiteContext layout");
#endif

#endif
