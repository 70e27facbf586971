//! The second wasm module: ValidatingAdmissionPolicy evaluation with CEL,
//! loaded by the browser on the first policy so that the main module carries
//! no CEL. Strings in, strings out (JSON shapes in
//! `servicecidr_admission::json_api`); nothing here can panic on input.

use servicecidr_admission::json_api;
use wasm_bindgen::prelude::*;

/// Admission of one request against the cluster's policies and bindings.
#[wasm_bindgen]
pub fn admit(request_json: &str) -> String {
    json_api::admit(request_json)
}

/// Field errors of a ValidatingAdmissionPolicy (upstream paths and messages).
#[wasm_bindgen(js_name = validatePolicy)]
pub fn validate_policy(policy_json: &str) -> String {
    json_api::validate_policy_json(policy_json)
}

/// Field errors of a ValidatingAdmissionPolicyBinding.
#[wasm_bindgen(js_name = validateBinding)]
pub fn validate_binding(binding_json: &str) -> String {
    json_api::validate_binding_json(binding_json)
}

/// One expression evaluated with the given variables (a playground helper).
#[wasm_bindgen(js_name = evalExpression)]
pub fn eval_expression(expression: &str, vars_json: &str) -> String {
    json_api::eval_expression_json(expression, vars_json)
}

/// A policy or binding with the API defaults filled in.
#[wasm_bindgen(js_name = defaultObject)]
pub fn default_object(object_json: &str) -> String {
    json_api::default_object_json(object_json)
}
