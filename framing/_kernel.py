"""The kernel manager used to run report notebooks: Curve-encrypted ZMQ transport where the kernel offers it.

ipykernel >= 7.3 warns on every start when its ZMQ sockets run over TCP without encryption; asking the
manager to provision CurveZMQ keys ("auto": when the kernelspec declares support) removes both the
plain-text transport and the warning.

jupyter_client interrupts a kernel before asking it to shut down; the report's kernel is idle by then (papermill
shuts it down after the last cell), and ipykernel answered the interrupt with a stray
"[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel." on the report's stderr, one run in two. The
manager skips that interrupt while shutting down (an interrupt during a run, Ctrl-C, still goes through).
"""

from jupyter_client.manager import AsyncKernelManager


class EncryptedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager that provisions CurveZMQ keys when the kernel supports them."""

    transport_encryption = "auto"

    async def _async_interrupt_kernel(self) -> None:
        if self.shutting_down:  # idle and about to get a shutdown request: nothing to interrupt
            return
        await super()._async_interrupt_kernel()
