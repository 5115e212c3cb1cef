export * from './field-drift';
export * from './fix-plan';
