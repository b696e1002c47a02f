/** Wire types of the simulator's control plane (`/_simulator/`), shared by the server and the typed client. */

/** One request the simulator received on a Huawei path. Tokens and secrets are never stored. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** HTTP status answered; 0 while in flight or when an injected fault reset the connection. */
  status: number;
  requestId: string;
  /** Parsed JSON body for writes (secret-named fields masked), else null. */
  body: unknown;
  /** Request headers as received, names lowercased; values of credential headers (token, Authorization, Cookie) masked. */
  headers: Record<string, string>;
  /** Epoch ms at arrival, from the simulator's clock. */
  at: number;
  /** Set when an injected fault decided the answer. */
  fault?: 'status' | 'reset';
}

/** A fault to inject before normal handling of matching requests. */
export interface FaultSpec {
  /** Path prefix, e.g. `/v1/usg/dcs/sp/corp`. Never matches the control plane. */
  path: string;
  /** Only this method (any when absent). */
  method?: string;
  /** Answer this status in Huawei's error shape instead of handling the request. */
  status?: number;
  /** Error code for `status` (default: 429 -> APIG.0308, 5xx -> the assumed server-error code). */
  errorCode?: string;
  /** Error message for `status`. */
  errorMsg?: string;
  /** Apply N times, then remove the fault. */
  count?: number;
  /** Probability 0..1 that a matching request is affected. */
  rate?: number;
  /** Seed for the `rate` dice, for reproducible runs. */
  seed?: number;
  /** Wait this long first; then continue normally unless `status` or `reset` is set. */
  delayMs?: number;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /**
   * A gate: hold each matching request (after `delayMs`) until the test releases this fault
   * (`POST /_simulator/faults/{id}/release`), then go on as the other fields say.
   */
  hold?: boolean;
}

export interface ActiveFault extends FaultSpec {
  id: string;
  /** Times this fault has been applied. */
  applied: number;
}
