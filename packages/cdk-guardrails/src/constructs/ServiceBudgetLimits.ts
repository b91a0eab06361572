// Shared by the ServiceBudget construct and the manifest's schema (which
// must not load aws-cdk-lib), so both accept the same budgets.

/** The alert threshold when none is given, percent of the monthly limit. */
export const DEFAULT_BUDGET_ALERT_PERCENT = 80;

/** The alert threshold's range, percent of the monthly limit. */
export const BUDGET_ALERT_PERCENT_RANGE = { min: 1, max: 1000 } as const;

/** Email subscribers Budgets allows per notification. */
export const MAX_BUDGET_EMAILS = 10;

/** An email address Budgets can mail: one address, no list separators. */
export const BUDGET_EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** The longest email address (RFC 5321). */
export const MAX_EMAIL_LENGTH = 254;
