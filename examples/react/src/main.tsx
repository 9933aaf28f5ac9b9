import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';

const root = document.getElementById('root')!;
createRoot(root).render(
  <StrictMode>
    <App api={root.dataset.api ?? 'http://localhost:8787'} />
  </StrictMode>,
);
