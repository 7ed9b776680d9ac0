/**
 * @module api/routers/authRouter
 * `/api/auth/*`: login, validate, check-access (public routes; tokens travel in the body).
 */
import {
  CheckAccessRequest,
  CheckAccessResponse,
  LoginRequest,
  LoginResponse,
  ValidateRequest,
  ValidateResponse,
} from '../../contract/index.ts';
import { publicProcedure, router } from '../trpc.ts';

export const authRouter = router({
  login: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/auth/login',
        tags: ['auth'],
        protect: false,
        summary: 'Exchange an Auth0 ID token for a NoETL session',
        errorResponses: {
          401: 'Token rejected',
          502: 'NoETL failed',
          503: 'Login playbook did not complete in time',
        },
      },
    })
    .input(LoginRequest)
    .output(LoginResponse)
    .mutation(({ input, ctx }) => ctx.services.auth.login(input, ctx.clientIp, ctx.userAgent)),

  validate: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/auth/validate',
        tags: ['auth'],
        protect: false,
        summary: 'Check a session token (200 with valid:false when it is invalid)',
        errorResponses: {
          502: 'Validation backend failed',
          503: 'Validation playbook did not complete in time',
        },
      },
    })
    .input(ValidateRequest)
    .output(ValidateResponse)
    .mutation(({ input, ctx }) => ctx.services.auth.validate(input.session_token)),

  checkAccess: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/auth/check-access',
        tags: ['auth'],
        protect: false,
        summary: 'Ask whether a session may use a playbook (fails closed)',
        errorResponses: { 502: 'NoETL failed', 503: 'Access backend failed or did not answer in time' },
      },
    })
    .input(CheckAccessRequest)
    .output(CheckAccessResponse)
    .mutation(({ input, ctx }) => ctx.services.auth.checkAccess(input)),
});
