// Threads for the gateway's answers that wait on backends. The gateway
// serves with gRPC's callback API, whose threads must never block: a
// cached answer is given on them at once, anything else is handed here.
#ifndef FAZHI_SERVICES_GATEWAY_WORKER_POOL_H_
#define FAZHI_SERVICES_GATEWAY_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace fazhi::gateway {

class WorkerPool {
 public:
  // Starts `threads` (at least one) threads.
  explicit WorkerPool(int threads);
  // Runs what is queued, then joins the threads.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `work` on a pool thread, in order of arrival. The queue is not
  // bounded: the backends are (each has an in-flight limit), and work whose
  // caller gave up is expected to finish at once.
  void Run(std::function<void()> work);

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_WORKER_POOL_H_
