/*
 * edgewatch opaque test delegate: a TensorFlow Lite external-delegate plugin (the interface of
 * tensorflow/lite/delegates/external/external_delegate_interface.h) written against TFLite's opaque delegate API,
 * as newer vendor delegates are: the delegate comes from TfLiteOpaqueDelegateCreate (a TfLiteOpaqueDelegateBuilder),
 * its kernel is a TfLiteOperator (TfLiteOperatorCreate + SetInit/SetPrepare/SetInvoke/SetFree), and the graph is read
 * and changed only through TfLiteOpaqueContext / TfLiteOpaqueNode / TfLiteOpaqueTensor accessors. Its kernel nodes
 * therefore carry TfLiteOpaqueDelegateParams, not TfLiteDelegateParams, as builtin_data.
 *
 * It claims the float32 built-in ops named by the option `ops` (CONCATENATION and/or ADD, same-shape ADD only; default
 * CONCATENATION), and computes them itself on the CPU. Like test_delegate.c it skips a node that reads the output of a
 * node it already claimed (one partition with an internal tensor, which the TFLite arena never allocates). Unknown
 * option keys are refused with an error, as TFLite's own external delegate does.
 *
 * It calls TfLiteIntArrayCreate/TfLiteIntArrayFree and the opaque API, which only resolve once the TFLite library the
 * agent loaded has been promoted to global symbol visibility (dlopen RTLD_NOLOAD|RTLD_GLOBAL).
 */
#include "tflite_opaque_min.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EW_PLUGIN_NAME
#define EW_PLUGIN_NAME "ew_opaque_delegate"
#endif

#define EW_EXPORT __attribute__((visibility("default")))
#define EW_MAX_INPUTS 16

typedef struct {
    bool claim_concat;
    bool claim_add;
} DelegateData;

typedef struct {
    int code;
    int inputs[EW_MAX_INPUTS];
    int input_count;
    int output;
    int axis;
    int activation;
} Op;

typedef struct {
    int op_count;
    Op ops[];
} Kernel;

static int live_delegates;

/** Number of delegates created and not yet destroyed (tests check that the agent destroys what it creates). */
EW_EXPORT int ew_live_delegates(void) { return live_delegates; }

static float activate(float v, int act) {
    switch (act) {
        case kTfLiteActRelu: return v < 0 ? 0 : v;
        case kTfLiteActReluN1To1: return v < -1 ? -1 : (v > 1 ? 1 : v);
        case kTfLiteActRelu6: return v < 0 ? 0 : (v > 6 ? 6 : v);
        default: return v;
    }
}

static bool supported_activation(int act) {
    return act == kTfLiteActNone || act == kTfLiteActRelu || act == kTfLiteActReluN1To1 || act == kTfLiteActRelu6;
}

static bool same_dims(const TfLiteOpaqueTensor *a, const TfLiteOpaqueTensor *b) {
    int n = TfLiteOpaqueTensorNumDims(a);
    if (n < 0 || n != TfLiteOpaqueTensorNumDims(b)) return false;
    for (int i = 0; i < n; i++) if (TfLiteOpaqueTensorDim(a, i) != TfLiteOpaqueTensorDim(b, i)) return false;
    return true;
}

static bool all_float(const TfLiteOpaqueContext *ctx, const int *idx, int n) {
    for (int i = 0; i < n; i++) {
        if (idx[i] < 0 || TfLiteOpaqueTensorType(TfLiteOpaqueContextGetOpaqueTensor(ctx, idx[i])) != kTfLiteFloat32) return false;
    }
    return true;
}

static bool claims(const TfLiteOpaqueContext *ctx, const DelegateData *d, const TfLiteOpaqueNode *node, int code) {
    const int *in, *out;
    int n_in, n_out;
    if (TfLiteOpaqueNodeInputs(node, &in, &n_in) != kTfLiteOk || TfLiteOpaqueNodeOutputs(node, &out, &n_out) != kTfLiteOk) return false;
    if (n_out != 1 || n_in > EW_MAX_INPUTS || !all_float(ctx, in, n_in) || !all_float(ctx, out, n_out)) return false;
    if (code == kTfLiteBuiltinConcatenation && d->claim_concat) {
        const TfLiteConcatenationParams *p = TfLiteOpaqueNodeGetBuiltinData(node);
        return p != NULL && supported_activation(p->activation);
    }
    if (code == kTfLiteBuiltinAdd && d->claim_add) {
        const TfLiteAddParams *p = TfLiteOpaqueNodeGetBuiltinData(node);
        return p != NULL && supported_activation(p->activation) && n_in == 2
               && same_dims(TfLiteOpaqueContextGetOpaqueTensor(ctx, in[0]), TfLiteOpaqueContextGetOpaqueTensor(ctx, in[1]));
    }
    return false;
}

static long element_count(const TfLiteOpaqueTensor *t, int from, int to) {
    long n = 1;
    for (int i = from; i < to; i++) n *= TfLiteOpaqueTensorDim(t, i);
    return n;
}

static void kernel_free(TfLiteOpaqueContext *ctx, void *buffer) {
    (void) ctx;
    free(buffer);
}

static void *kernel_init(TfLiteOpaqueContext *ctx, const char *buffer, size_t length) {
    (void) length;
    const TfLiteOpaqueDelegateParams *params = (const TfLiteOpaqueDelegateParams *) buffer;
    int n = params->nodes_to_replace->size;
    Kernel *k = calloc(1, sizeof(Kernel) + (size_t) n * sizeof(Op));
    if (k == NULL) return NULL;
    k->op_count = n;
    for (int i = 0; i < n; i++) {
        TfLiteOpaqueNode *node;
        TfLiteOperator *reg;
        const int *in, *out;
        int n_in, n_out;
        if (TfLiteOpaqueContextGetNodeAndRegistration(ctx, params->nodes_to_replace->data[i], &node, &reg) != kTfLiteOk
            || TfLiteOpaqueNodeInputs(node, &in, &n_in) != kTfLiteOk || TfLiteOpaqueNodeOutputs(node, &out, &n_out) != kTfLiteOk) {
            free(k);
            return NULL;
        }
        Op *op = &k->ops[i];
        op->code = TfLiteOperatorGetBuiltInCode(reg);
        op->input_count = n_in;
        memcpy(op->inputs, in, sizeof(int) * (size_t) n_in);
        op->output = out[0];
        if (op->code == kTfLiteBuiltinConcatenation) {
            const TfLiteConcatenationParams *p = TfLiteOpaqueNodeGetBuiltinData(node);
            op->axis = p->axis;
            op->activation = p->activation;
        } else {
            op->activation = ((const TfLiteAddParams *) TfLiteOpaqueNodeGetBuiltinData(node))->activation;
        }
    }
    return k;
}

static TfLiteStatus kernel_prepare(TfLiteOpaqueContext *ctx, TfLiteOpaqueNode *node) {
    (void) ctx;
    return TfLiteOpaqueNodeGetUserData(node) == NULL ? kTfLiteError : kTfLiteOk;
}

static float *data_of(TfLiteOpaqueContext *ctx, int tensor) {
    return TfLiteOpaqueTensorData(TfLiteOpaqueContextGetOpaqueTensor(ctx, tensor));
}

static void run_concat(TfLiteOpaqueContext *ctx, const Op *op) {
    const TfLiteOpaqueTensor *out = TfLiteOpaqueContextGetOpaqueTensor(ctx, op->output);
    int rank = TfLiteOpaqueTensorNumDims(out);
    int axis = op->axis < 0 ? op->axis + rank : op->axis;
    long outer = element_count(out, 0, axis);
    float *dst = data_of(ctx, op->output);
    for (long o = 0; o < outer; o++) {
        for (int i = 0; i < op->input_count; i++) {
            const TfLiteOpaqueTensor *in = TfLiteOpaqueContextGetOpaqueTensor(ctx, op->inputs[i]);
            long inner = element_count(in, axis, TfLiteOpaqueTensorNumDims(in));
            memcpy(dst, data_of(ctx, op->inputs[i]) + o * inner, sizeof(float) * (size_t) inner);
            dst += inner;
        }
    }
}

static void run_add(TfLiteOpaqueContext *ctx, const Op *op) {
    const TfLiteOpaqueTensor *out = TfLiteOpaqueContextGetOpaqueTensor(ctx, op->output);
    const float *a = data_of(ctx, op->inputs[0]);
    const float *b = data_of(ctx, op->inputs[1]);
    float *dst = data_of(ctx, op->output);
    long n = element_count(out, 0, TfLiteOpaqueTensorNumDims(out));
    for (long i = 0; i < n; i++) dst[i] = a[i] + b[i];
}

static TfLiteStatus kernel_invoke(TfLiteOpaqueContext *ctx, TfLiteOpaqueNode *node) {
    const Kernel *k = TfLiteOpaqueNodeGetUserData(node);
    for (int i = 0; i < k->op_count; i++) {
        const Op *op = &k->ops[i];
        if (op->code == kTfLiteBuiltinConcatenation) run_concat(ctx, op); else run_add(ctx, op);
        const TfLiteOpaqueTensor *out = TfLiteOpaqueContextGetOpaqueTensor(ctx, op->output);
        float *v = data_of(ctx, op->output);
        long n = element_count(out, 0, TfLiteOpaqueTensorNumDims(out));
        for (long e = 0; e < n; e++) v[e] = activate(v[e], op->activation);
    }
    return kTfLiteOk;
}

static TfLiteStatus delegate_prepare(TfLiteOpaqueContext *ctx, TfLiteOpaqueDelegate *delegate, void *data) {
    const DelegateData *d = data;
    TfLiteIntArray *plan;
    if (TfLiteOpaqueContextGetExecutionPlan(ctx, &plan) != kTfLiteOk) return kTfLiteError;
    TfLiteIntArray *chosen = TfLiteIntArrayCreate(plan->size);
    chosen->size = 0;
    bool *produced = calloc(TfLiteOpaqueContextGetNumTensors(ctx), sizeof(bool));
    for (int i = 0; i < plan->size; i++) {
        TfLiteOpaqueNode *node;
        TfLiteOperator *reg;
        if (TfLiteOpaqueContextGetNodeAndRegistration(ctx, plan->data[i], &node, &reg) != kTfLiteOk) continue;
        if (!claims(ctx, d, node, TfLiteOperatorGetBuiltInCode(reg))) continue;
        const int *in, *out;
        int n_in, n_out;
        TfLiteOpaqueNodeInputs(node, &in, &n_in);
        TfLiteOpaqueNodeOutputs(node, &out, &n_out);
        bool chained = false;
        for (int j = 0; j < n_in; j++) chained |= produced[in[j]];
        if (chained) continue;
        chosen->data[chosen->size++] = plan->data[i];
        produced[out[0]] = true;
    }
    free(produced);
    TfLiteStatus s = kTfLiteOk;
    if (chosen->size > 0) {
        /* the runtime takes ownership of the operator */
        TfLiteOperator *kernel = TfLiteOperatorCreate(kTfLiteBuiltinDelegate, EW_PLUGIN_NAME, 1, NULL);
        TfLiteOperatorSetInit(kernel, kernel_init);
        TfLiteOperatorSetFree(kernel, kernel_free);
        TfLiteOperatorSetPrepare(kernel, kernel_prepare);
        TfLiteOperatorSetInvoke(kernel, kernel_invoke);
        s = TfLiteOpaqueContextReplaceNodeSubsetsWithDelegateKernels(ctx, kernel, chosen, delegate);
    }
    TfLiteIntArrayFree(chosen);
    return s;
}

static bool parse_ops(DelegateData *d, const char *value) {
    d->claim_concat = d->claim_add = false;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", value);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "CONCATENATION") == 0) d->claim_concat = true;
        else if (strcmp(tok, "ADD") == 0) d->claim_add = true;
        else return false;
    }
    return true;
}

EW_EXPORT TfLiteOpaqueDelegate *tflite_plugin_create_delegate(char **keys, char **values, size_t n,
                                                               void (*report_error)(const char *)) {
    DelegateData *d = calloc(1, sizeof(DelegateData));
    d->claim_concat = true;
    char msg[512];
    for (size_t i = 0; i < n; i++) {
        if (strcmp(keys[i], "ops") == 0 && parse_ops(d, values[i])) continue;
        if (strcmp(keys[i], "ops") == 0) {
            snprintf(msg, sizeof msg, EW_PLUGIN_NAME ": option ops='%s' names an op this delegate does not support (CONCATENATION, ADD)", values[i]);
        } else {
            snprintf(msg, sizeof msg, EW_PLUGIN_NAME ": unknown option '%s'", keys[i]);
        }
        if (report_error) report_error(msg);
        free(d);
        return NULL;
    }
    TfLiteOpaqueDelegateBuilder builder = {0};
    builder.data = d;
    builder.Prepare = delegate_prepare;
    TfLiteOpaqueDelegate *del = TfLiteOpaqueDelegateCreate(&builder);
    if (del == NULL) {
        if (report_error) report_error(EW_PLUGIN_NAME ": TfLiteOpaqueDelegateCreate failed");
        free(d);
        return NULL;
    }
    live_delegates++;
    return del;
}

EW_EXPORT void tflite_plugin_destroy_delegate(TfLiteOpaqueDelegate *delegate) {
    if (delegate == NULL) return;
    free(TfLiteOpaqueDelegateGetData(delegate));
    TfLiteOpaqueDelegateDelete(delegate);
    live_delegates--;
}
