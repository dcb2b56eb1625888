import CDNNL

/// Throws ``TensorCoreError/dnnl(call:status:)`` unless `status` is success.
@inline(__always)
func dnnlCheck(_ status: dnnl_status_t, _ call: @autoclosure () -> String) throws {
  if status != dnnl_success {
    throw TensorCoreError.dnnl(call: call(), status: Int(status.rawValue))
  }
}
