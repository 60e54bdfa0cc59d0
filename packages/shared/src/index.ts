export * from './credit-code';
export * from './errors';
export * from './id-number';
export * from './item-codes';
export * from './masking';
export * from './password-policy';
export * from './permissions';
export * from './region-code';
