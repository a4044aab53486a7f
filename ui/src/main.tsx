import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './App.js';
import { adoptMlflowHashLink } from './router.js';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Runs and registry entries change while training goes on, but not every second.
      staleTime: 15_000,
      retry: 1,
      refetchOnWindowFocus: false,
    },
  },
});

adoptMlflowHashLink();

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
