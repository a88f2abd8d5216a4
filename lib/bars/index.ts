export * from './bar';
export * from './builder';
export * from './interval';
export * from './trade';
