import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The machine running the suite may be busy; waiting longer never makes a
// passing assertion fail.
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);
