/**
 * Errors that speak to the person (DESIGN §4 "Errors"). Every error a use case throws on purpose is an
 * AppError: a stable machine code, an HTTP status, a Chinese title and detail fit to show a user, and the
 * legal citation when a rule blocked the action. The HTTP layer turns them into RFC 9457 problem+json.
 */
export interface ProblemFields {
  title: string;
  detail?: string;
  citation?: string;
  /** Extra members for the problem document (e.g. which fields were wrong). */
  extensions?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly citation: string | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(status: number, code: string, fields: ProblemFields) {
    super(`${code}: ${fields.title}${fields.detail ? ` — ${fields.detail}` : ''}`);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.title = fields.title;
    this.detail = fields.detail;
    this.citation = fields.citation;
    this.extensions = fields.extensions;
  }
}

/** The request is malformed or a field is invalid (400). */
export class InvalidInput extends AppError {
  constructor(code: string, fields: ProblemFields) {
    super(400, code, fields);
  }
}

/** Who you are is unknown or no longer valid (401). */
export class Unauthenticated extends AppError {
  constructor(code: string, fields: ProblemFields) {
    super(401, code, fields);
  }
}

/** You are known but may not do this (403). */
export class Forbidden extends AppError {
  constructor(code: string, fields: ProblemFields) {
    super(403, code, fields);
  }
}

/** The thing does not exist, or you may not know that it does (404). */
export class NotFound extends AppError {
  constructor(code: string, fields: ProblemFields) {
    super(404, code, fields);
  }
}

/** The state of things or a legal rule forbids the action now (409). */
export class RuleViolation extends AppError {
  constructor(code: string, fields: ProblemFields) {
    super(409, code, fields);
  }
}

/** A dependency (the database) is not reachable right now (503). */
export class ServiceUnavailable extends AppError {
  constructor(code: string, fields: ProblemFields) {
    super(503, code, fields);
  }
}
