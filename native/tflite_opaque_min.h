/*
 * Minimal declarations of TensorFlow Lite's opaque delegate API (tensorflow/lite/core/c/c_api_opaque.h,
 * tensorflow/lite/core/c/operator.h and the opaque parts of common.h) that edgewatch's opaque test delegate needs.
 *
 * The TFLite headers are not installed on the build machines. The functions below are exported by the TFLite library
 * inside the Bytedeco tensorflow-lite 2.20.0-1.5.13 preset (checked with `nm -D --defined-only libjnitensorflowlite.so`);
 * TfLiteOperatorCreate and the TfLiteOperatorSet* signatures are those of the preset's own mapping of TFLite 2.20 (in 2.20
 * TfLiteOperatorCreate takes a fourth argument, user_data). Struct sizes and offsets were checked with JavaCPP's
 * Loader.sizeof/offsetof on linux-x86_64 (LP64) and are asserted below.
 *
 * A plugin written against this header never sees TfLiteContext, TfLiteNode, TfLiteTensor or TfLiteRegistration: every
 * access goes through an exported accessor, as newer vendor delegates do.
 */
#ifndef EDGEWATCH_TFLITE_OPAQUE_MIN_H
#define EDGEWATCH_TFLITE_OPAQUE_MIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { kTfLiteOk = 0, kTfLiteError = 1, kTfLiteDelegateError = 2 } TfLiteStatus;

enum { kTfLiteFloat32 = 1 };
enum { kTfLiteActNone = 0, kTfLiteActRelu = 1, kTfLiteActReluN1To1 = 2, kTfLiteActRelu6 = 3 };
/* TfLiteBuiltinOperator values (tensorflow/lite/builtin_ops.h). */
enum { kTfLiteBuiltinAdd = 0, kTfLiteBuiltinConcatenation = 2, kTfLiteBuiltinDelegate = 51 };

typedef struct TfLiteIntArray {
    int size;
    int data[];
} TfLiteIntArray;

typedef int TfLiteBufferHandle;

/* Opaque handles: their layout is private to the runtime. */
typedef struct TfLiteOpaqueContext TfLiteOpaqueContext;
typedef struct TfLiteOpaqueNode TfLiteOpaqueNode;
typedef struct TfLiteOpaqueTensor TfLiteOpaqueTensor;
typedef struct TfLiteOpaqueDelegateStruct TfLiteOpaqueDelegate;
typedef struct TfLiteOperator TfLiteOperator;

/* Builtin data of the two ops the test delegate computes (plain C structs, the same for both delegate APIs). */
typedef struct TfLiteConcatenationParams {
    int axis;
    int activation;
} TfLiteConcatenationParams;

typedef struct TfLiteAddParams {
    int activation;
    bool pot_scale_int16;
} TfLiteAddParams;

/* Passed by TfLiteOpaqueDelegateCreate; copied by the runtime. */
typedef struct TfLiteOpaqueDelegateBuilder {
    void *data;
    TfLiteStatus (*Prepare)(TfLiteOpaqueContext *context, TfLiteOpaqueDelegate *delegate, void *data);
    TfLiteStatus (*CopyFromBufferHandle)(TfLiteOpaqueContext *, TfLiteOpaqueDelegate *, void *, TfLiteBufferHandle,
                                         TfLiteOpaqueTensor *);
    TfLiteStatus (*CopyToBufferHandle)(TfLiteOpaqueContext *, TfLiteOpaqueDelegate *, void *, TfLiteBufferHandle,
                                       TfLiteOpaqueTensor *);
    void (*FreeBufferHandle)(TfLiteOpaqueContext *, TfLiteOpaqueDelegate *, void *, TfLiteBufferHandle *);
    int64_t flags;
} TfLiteOpaqueDelegateBuilder;

/* What TfLiteOpaqueContextReplaceNodeSubsetsWithDelegateKernels passes as `buffer` to the kernel's init (and stores as
   the kernel node's builtin_data). Not TfLiteDelegateParams: delegate_data comes second. */
typedef struct TfLiteOpaqueDelegateParams {
    TfLiteOpaqueDelegate *delegate;
    void *delegate_data;
    TfLiteIntArray *nodes_to_replace;
    TfLiteIntArray *input_tensors;
    TfLiteIntArray *output_tensors;
} TfLiteOpaqueDelegateParams;

TfLiteIntArray *TfLiteIntArrayCreate(int size);
void TfLiteIntArrayFree(TfLiteIntArray *a);

TfLiteOpaqueDelegate *TfLiteOpaqueDelegateCreate(const TfLiteOpaqueDelegateBuilder *opaque_delegate_builder);
void TfLiteOpaqueDelegateDelete(TfLiteOpaqueDelegate *delegate);
void *TfLiteOpaqueDelegateGetData(const TfLiteOpaqueDelegate *delegate);

TfLiteStatus TfLiteOpaqueContextGetExecutionPlan(TfLiteOpaqueContext *opaque_context, TfLiteIntArray **execution_plan);
TfLiteStatus TfLiteOpaqueContextGetNodeAndRegistration(TfLiteOpaqueContext *opaque_context, int node_index,
                                                       TfLiteOpaqueNode **node, TfLiteOperator **registration_external);
/* The runtime takes ownership of registration_external. */
TfLiteStatus TfLiteOpaqueContextReplaceNodeSubsetsWithDelegateKernels(TfLiteOpaqueContext *opaque_context,
                                                                      TfLiteOperator *registration_external,
                                                                      const TfLiteIntArray *nodes_to_replace,
                                                                      TfLiteOpaqueDelegate *opaque_delegate);
TfLiteOpaqueTensor *TfLiteOpaqueContextGetOpaqueTensor(const TfLiteOpaqueContext *opaque_context, int index);
size_t TfLiteOpaqueContextGetNumTensors(const TfLiteOpaqueContext *opaque_context);

int TfLiteOpaqueNodeNumberOfInputs(const TfLiteOpaqueNode *opaque_node);
int TfLiteOpaqueNodeNumberOfOutputs(const TfLiteOpaqueNode *opaque_node);
TfLiteStatus TfLiteOpaqueNodeInputs(const TfLiteOpaqueNode *opaque_node, const int **inputs, int *num_inputs);
TfLiteStatus TfLiteOpaqueNodeOutputs(const TfLiteOpaqueNode *opaque_node, const int **outputs, int *num_outputs);
void *TfLiteOpaqueNodeGetUserData(const TfLiteOpaqueNode *opaque_node);
void *TfLiteOpaqueNodeGetBuiltinData(const TfLiteOpaqueNode *opaque_node);

int TfLiteOpaqueTensorType(const TfLiteOpaqueTensor *opaque_tensor); /* TfLiteType */
int32_t TfLiteOpaqueTensorNumDims(const TfLiteOpaqueTensor *opaque_tensor);
int32_t TfLiteOpaqueTensorDim(const TfLiteOpaqueTensor *opaque_tensor, int32_t dim_index);
void *TfLiteOpaqueTensorData(const TfLiteOpaqueTensor *opaque_tensor);

TfLiteOperator *TfLiteOperatorCreate(int builtin_code, const char *custom_name, int version, void *user_data);
int TfLiteOperatorGetBuiltInCode(const TfLiteOperator *registration);
void TfLiteOperatorSetInit(TfLiteOperator *registration,
                           void *(*init)(TfLiteOpaqueContext *context, const char *buffer, size_t length));
void TfLiteOperatorSetFree(TfLiteOperator *registration, void (*free)(TfLiteOpaqueContext *context, void *data));
void TfLiteOperatorSetPrepare(TfLiteOperator *registration,
                              TfLiteStatus (*prepare)(TfLiteOpaqueContext *context, TfLiteOpaqueNode *node));
void TfLiteOperatorSetInvoke(TfLiteOperator *registration,
                             TfLiteStatus (*invoke)(TfLiteOpaqueContext *context, TfLiteOpaqueNode *node));

#if defined(__LP64__)
_Static_assert(sizeof(TfLiteOpaqueDelegateBuilder) == 48, "TfLiteOpaqueDelegateBuilder must match TFLite 2.20 (48 bytes on LP64)");
_Static_assert(offsetof(TfLiteOpaqueDelegateBuilder, flags) == 40, "TfLiteOpaqueDelegateBuilder layout");
_Static_assert(sizeof(TfLiteOpaqueDelegateParams) == 40, "TfLiteOpaqueDelegateParams must match TFLite 2.20 (40 bytes on LP64)");
_Static_assert(offsetof(TfLiteOpaqueDelegateParams, nodes_to_replace) == 16, "TfLiteOpaqueDelegateParams layout");
#endif

#endif
