/**
 * @module core/ingress/ingressRejection
 * A delivery refused: the reason (the contract's vocabulary, which fixes the status), the message the
 * caller reads, and — for the reasons the reference answered with one — a `detail`. Never carries a secret.
 */
import { INGRESS_REJECTION_STATUS, type IngressRejectionReason } from '../../contract/ingress.ts';

export class IngressRejection extends Error {
  override name = 'IngressRejection';

  constructor(
    readonly reason: IngressRejectionReason,
    message: string,
    /** Sent as `detail` (the reference sent one for unknown listeners and upstream failures). */
    readonly detail?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get status(): number {
    return INGRESS_REJECTION_STATUS[this.reason];
  }
}

/** A refusal whose message is also its `detail` (404 / 502, as the reference answered them). */
export function rejectWithDetail(
  reason: IngressRejectionReason,
  detail: string,
  cause?: unknown,
): IngressRejection {
  return new IngressRejection(reason, detail, detail, cause === undefined ? undefined : { cause });
}
