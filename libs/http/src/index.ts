export * from './problem-details';
export * from './problem.exception';
export * from './problem.filter';
export * from './problem-validation.pipe';
export * from './problem.schema';
export * from './public.decorator';
export * from './openapi.document';
