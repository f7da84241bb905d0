/*
 * edgewatch test delegate: a TensorFlow Lite external-delegate plugin (the interface of
 * tensorflow/lite/delegates/external/external_delegate_interface.h) that stands in for an NPU in tests.
 *
 * It claims the float32 built-in ops named by the option `ops` (CONCATENATION and/or ADD, same-shape ADD only)
 * and computes them itself on the CPU. Build variants (gcc -D...) give the failure modes real NPU delegates show:
 *   default                 computes the claimed ops correctly
 *   -DEW_WRONG              computes them wrongly (adds 0.5 to every output element)
 *   -DEW_FAIL_CREATE        create reports an error through report_error and returns NULL
 *   -DEW_FIRST_INVOKE_DELAY_MS=N  sleeps N ms in its first invoke (a slow graph compile)
 * Options (all variants): ops=CONCATENATION[,ADD]  first_invoke_delay_ms=N. Unknown keys are refused with an
 * error, as TFLite's own external delegate does.
 *
 * It calls TfLiteIntArrayCreate/TfLiteIntArrayFree, which only resolve once the TFLite library the agent loaded
 * has been promoted to global symbol visibility (dlopen RTLD_NOLOAD|RTLD_GLOBAL).
 */
#include "tflite_min.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef EW_PLUGIN_NAME
#define EW_PLUGIN_NAME "ew_test_delegate"
#endif
#ifndef EW_FIRST_INVOKE_DELAY_MS
#define EW_FIRST_INVOKE_DELAY_MS 0
#endif

#define EW_EXPORT __attribute__((visibility("default")))

typedef struct {
    bool claim_concat;
    bool claim_add;
    long first_invoke_delay_ms;
    bool first_invoke_done;
} DelegateData;

typedef struct {
    int code;
    int inputs[16];
    int input_count;
    int output;
    int axis;
    int activation;
} Op;

typedef struct {
    DelegateData *data;
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

static bool same_dims(const TfLiteIntArray *a, const TfLiteIntArray *b) {
    if (a->size != b->size) return false;
    for (int i = 0; i < a->size; i++) if (a->data[i] != b->data[i]) return false;
    return true;
}

static bool all_float(TfLiteContext *ctx, const TfLiteNode *node) {
    for (int i = 0; i < node->inputs->size; i++) {
        int t = node->inputs->data[i];
        if (t < 0 || ctx->tensors[t].type != kTfLiteFloat32) return false;
    }
    for (int i = 0; i < node->outputs->size; i++) {
        int t = node->outputs->data[i];
        if (t < 0 || ctx->tensors[t].type != kTfLiteFloat32) return false;
    }
    return true;
}

static bool claims(TfLiteContext *ctx, const DelegateData *d, const TfLiteNode *node, const TfLiteRegistration *reg) {
    if (node->outputs->size != 1 || node->inputs->size > 16 || !all_float(ctx, node)) return false;
    if (reg->builtin_code == kTfLiteBuiltinConcatenation && d->claim_concat) {
        const TfLiteConcatenationParams *p = node->builtin_data;
        return p != NULL && supported_activation(p->activation);
    }
    if (reg->builtin_code == kTfLiteBuiltinAdd && d->claim_add) {
        const TfLiteAddParams *p = node->builtin_data;
        return p != NULL && supported_activation(p->activation) && node->inputs->size == 2
               && same_dims(ctx->tensors[node->inputs->data[0]].dims, ctx->tensors[node->inputs->data[1]].dims);
    }
    return false;
}

static void *kernel_init(TfLiteContext *ctx, const char *buffer, size_t length) {
    (void) length;
    const TfLiteDelegateParams *params = (const TfLiteDelegateParams *) buffer;
    int n = params->nodes_to_replace->size;
    Kernel *k = calloc(1, sizeof(Kernel) + (size_t) n * sizeof(Op));
    if (k == NULL) return NULL;
    k->data = params->delegate->data_;
    k->op_count = n;
    for (int i = 0; i < n; i++) {
        TfLiteNode *node;
        TfLiteRegistration *reg;
        ctx->GetNodeAndRegistration(ctx, params->nodes_to_replace->data[i], &node, &reg);
        Op *op = &k->ops[i];
        op->code = reg->builtin_code;
        op->input_count = node->inputs->size;
        memcpy(op->inputs, node->inputs->data, sizeof(int) * (size_t) node->inputs->size);
        op->output = node->outputs->data[0];
        if (op->code == kTfLiteBuiltinConcatenation) {
            const TfLiteConcatenationParams *p = node->builtin_data;
            op->axis = p->axis;
            op->activation = p->activation;
        } else {
            op->activation = ((const TfLiteAddParams *) node->builtin_data)->activation;
        }
    }
    return k;
}

static void kernel_free(TfLiteContext *ctx, void *buffer) {
    (void) ctx;
    free(buffer);
}

static TfLiteStatus kernel_prepare(TfLiteContext *ctx, TfLiteNode *node) {
    (void) ctx;
    return node->user_data == NULL ? kTfLiteError : kTfLiteOk;
}

static long count_of(const TfLiteIntArray *dims, int from, int to) {
    long n = 1;
    for (int i = from; i < to; i++) n *= dims->data[i];
    return n;
}

static void run_concat(TfLiteContext *ctx, const Op *op) {
    TfLiteTensor *out = &ctx->tensors[op->output];
    int rank = out->dims->size;
    int axis = op->axis < 0 ? op->axis + rank : op->axis;
    long outer = count_of(out->dims, 0, axis);
    float *dst = out->data.f;
    for (long o = 0; o < outer; o++) {
        for (int i = 0; i < op->input_count; i++) {
            const TfLiteTensor *in = &ctx->tensors[op->inputs[i]];
            long inner = count_of(in->dims, axis, in->dims->size);
            memcpy(dst, in->data.f + o * inner, sizeof(float) * (size_t) inner);
            dst += inner;
        }
    }
}

static void run_add(TfLiteContext *ctx, const Op *op) {
    TfLiteTensor *out = &ctx->tensors[op->output];
    const float *a = ctx->tensors[op->inputs[0]].data.f;
    const float *b = ctx->tensors[op->inputs[1]].data.f;
    long n = count_of(out->dims, 0, out->dims->size);
    for (long i = 0; i < n; i++) out->data.f[i] = a[i] + b[i];
}

static TfLiteStatus kernel_invoke(TfLiteContext *ctx, TfLiteNode *node) {
    Kernel *k = node->user_data;
    if (!k->data->first_invoke_done) {
        k->data->first_invoke_done = true;
        if (k->data->first_invoke_delay_ms > 0) {
            struct timespec ts = {k->data->first_invoke_delay_ms / 1000, (k->data->first_invoke_delay_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    for (int i = 0; i < k->op_count; i++) {
        const Op *op = &k->ops[i];
        if (op->code == kTfLiteBuiltinConcatenation) run_concat(ctx, op); else run_add(ctx, op);
        TfLiteTensor *out = &ctx->tensors[op->output];
        long n = count_of(out->dims, 0, out->dims->size);
        for (long e = 0; e < n; e++) {
            float v = activate(out->data.f[e], op->activation);
#ifdef EW_WRONG
            v += 0.5f;
#endif
            out->data.f[e] = v;
        }
    }
    return kTfLiteOk;
}

__attribute__((unused)) static TfLiteStatus delegate_prepare(TfLiteContext *ctx, TfLiteDelegate *delegate) {
    DelegateData *d = delegate->data_;
    TfLiteIntArray *plan;
    if (ctx->GetExecutionPlan(ctx, &plan) != kTfLiteOk) return kTfLiteError;
    TfLiteIntArray *chosen = TfLiteIntArrayCreate(plan->size);
    chosen->size = 0;
    /* Claimed nodes whose inputs another claimed node produces would make one partition with an internal tensor
       the arena never allocates; this test delegate keeps every claimed node in a partition of its own. */
    bool *produced = calloc(ctx->tensors_size, sizeof(bool));
    for (int i = 0; i < plan->size; i++) {
        TfLiteNode *node;
        TfLiteRegistration *reg;
        if (ctx->GetNodeAndRegistration(ctx, plan->data[i], &node, &reg) != kTfLiteOk) continue;
        if (!claims(ctx, d, node, reg)) continue;
        bool chained = false;
        for (int j = 0; j < node->inputs->size; j++) chained |= produced[node->inputs->data[j]];
        if (chained) continue;
        chosen->data[chosen->size++] = plan->data[i];
        produced[node->outputs->data[0]] = true;
    }
    free(produced);
    TfLiteRegistration reg = {0};
    reg.init = kernel_init;
    reg.free = kernel_free;
    reg.prepare = kernel_prepare;
    reg.invoke = kernel_invoke;
    reg.builtin_code = kTfLiteBuiltinDelegate;
    reg.custom_name = EW_PLUGIN_NAME;
    reg.version = 1;
    TfLiteStatus s = ctx->ReplaceNodeSubsetsWithDelegateKernels(ctx, reg, chosen, delegate);
    TfLiteIntArrayFree(chosen);
    return s;
}

__attribute__((unused)) static bool parse_ops(DelegateData *d, const char *value) {
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

EW_EXPORT TfLiteDelegate *tflite_plugin_create_delegate(char **keys, char **values, size_t n,
                                                         void (*report_error)(const char *)) {
#ifdef EW_FAIL_CREATE
    (void) keys; (void) values; (void) n;
    if (report_error) report_error(EW_PLUGIN_NAME ": no accelerator device found (/dev/ew-npu0 missing)");
    return NULL;
#else
    DelegateData *d = calloc(1, sizeof(DelegateData));
    d->claim_concat = true;
    d->first_invoke_delay_ms = EW_FIRST_INVOKE_DELAY_MS;
    char msg[512];
    for (size_t i = 0; i < n; i++) {
        if (strcmp(keys[i], "ops") == 0) {
            if (!parse_ops(d, values[i])) {
                snprintf(msg, sizeof msg, EW_PLUGIN_NAME ": option ops='%s' names an op this delegate does not support (CONCATENATION, ADD)", values[i]);
                if (report_error) report_error(msg);
                free(d);
                return NULL;
            }
        } else if (strcmp(keys[i], "first_invoke_delay_ms") == 0) {
            d->first_invoke_delay_ms = atol(values[i]);
        } else {
            snprintf(msg, sizeof msg, EW_PLUGIN_NAME ": unknown option '%s'", keys[i]);
            if (report_error) report_error(msg);
            free(d);
            return NULL;
        }
    }
    TfLiteDelegate *del = calloc(1, sizeof(TfLiteDelegate));
    del->data_ = d;
    del->Prepare = delegate_prepare;
    del->flags = 0;
    live_delegates++;
    return del;
#endif
}

EW_EXPORT void tflite_plugin_destroy_delegate(TfLiteDelegate *delegate) {
    if (delegate == NULL) return;
    free(delegate->data_);
    free(delegate);
    live_delegates--;
}
