/**
 * @module api/ingress/ingressProblem
 * A refused delivery as a Problem: the one error model's `{"error", "code"}` plus the reference gateway's
 * `{"status": "rejected", "reason", "detail"?}`, so a webhook sender or script reading either finds it.
 */
import { errorCodeOfStatus } from '../../contract/errors.ts';
import type { IngressRejection as IngressRejectionBody } from '../../contract/ingress.ts';
import type { IngressRejection } from '../../core/ingress/ingressRejection.ts';
import { Problem } from '../problem.ts';

export class IngressProblem extends Problem {
  override name = 'IngressProblem';

  constructor(readonly rejection: IngressRejection) {
    super(errorCodeOfStatus(rejection.status), rejection.message, { cause: rejection });
  }

  override body(): IngressRejectionBody {
    const { reason, detail } = this.rejection;
    return {
      ...super.body(),
      status: 'rejected',
      reason,
      ...(detail !== undefined ? { detail } : {}),
    };
  }
}
