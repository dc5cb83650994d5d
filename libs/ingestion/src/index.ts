export * from './ingestion.service';
export * from './ingestion.module';
export * from './broker/ingress-patterns';
export * from './http/configure-ingest-http';
export * from './http/problem-details';
export * from './http/ingest-openapi';
export * from './consistency/detention-facts';
export * from './results/result-ingestion.service';
